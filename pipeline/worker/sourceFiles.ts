import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { type CloneEventData, cloneStreamId, parseCloneEvent } from "../../domain/index.js";
import type { ArtifactStore } from "../../infra/blobstore/artifactStore.js";
import type { EventStore } from "../../infra/eventstore/eventStore.js";

export interface StoredSource {
  sourceId: string;
  fileName: string;
  artifactKey: string;
}

/**
 * The sources a dataset request names, in its order: the event carries them (file name and stored
 * archive); a DatasetRequested recorded before it did is answered from the clone's stream instead.
 */
export async function requestedSources(
  store: Pick<EventStore, "readStream">,
  request: CloneEventData<"DatasetRequested">,
): Promise<StoredSource[]> {
  const known = request.sources
    ? new Map(request.sources.map((s) => [s.sourceId, s]))
    : await storedSources(store, request.cloneId);
  return request.sourceIds.map((sourceId) => {
    const source = known.get(sourceId);
    if (!source) throw new Error(`source ${sourceId} is not recorded for this clone`);
    return { sourceId, fileName: source.fileName, artifactKey: source.artifactKey };
  });
}

/** The uploads of a clone as its event stream records them (file name and where the archive is stored). */
export async function storedSources(
  store: Pick<EventStore, "readStream">,
  cloneId: string,
): Promise<Map<string, StoredSource>> {
  const sources = new Map<string, StoredSource>();
  for await (const recorded of store.readStream(cloneStreamId(cloneId))) {
    if (recorded.type !== "SourceUploaded") continue;
    const event = parseCloneEvent(recorded.type, recorded.data);
    if (event.type !== "SourceUploaded") continue;
    const { sourceId, fileName, artifactKey } = event.data;
    sources.set(sourceId, { sourceId, fileName, artifactKey });
  }
  return sources;
}

/**
 * Copies an upload from the artifact store to a local file under its original name (readers recognise
 * loose `.json`/`.txt` files by name; zips by content) and returns the path. Zip reading needs random access,
 * which a stream from S3 does not give.
 */
export async function downloadSource(
  artifacts: ArtifactStore,
  source: StoredSource,
  workDir: string,
  signal?: AbortSignal,
): Promise<string> {
  const dir = join(workDir, source.sourceId);
  await mkdir(dir, { recursive: true });
  // The name was validated by the decider (no path separators), so it stays inside dir.
  const path = join(dir, source.fileName);
  await pipeline(await artifacts.get(source.artifactKey), createWriteStream(path), signal ? { signal } : {});
  return path;
}

/**
 * A reason for the person, without this machine's folders: a downloaded source's path
 * (`<scratch>/sources/<sourceId>/bomb.zip`) becomes the name they uploaded (`bomb.zip`), and any other
 * mention of the scratch folder goes.
 */
export function withoutScratchPaths(message: string, scratchDir: string): string {
  const escaped = scratchDir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return message
    .replace(new RegExp(`${escaped}[/\\\\](?:sources[/\\\\])?[\\w-]+[/\\\\]`, "g"), "")
    .replace(new RegExp(`${escaped}(?:[/\\\\][^\\s:'"]*)?`, "g"), "…");
}
