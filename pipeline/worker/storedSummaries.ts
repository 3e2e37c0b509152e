import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { inspectionKey } from "../../domain/index.js";
import { ArtifactNotFoundError, type ArtifactStore } from "../../infra/blobstore/artifactStore.js";
import { combineSummaries, type SourceSummary } from "../dataset/index.js";

/** Bumped when SourceSummary changes shape: summaries stored before are then inspected again. */
const SUMMARY_FORMAT = 1;

interface StoredSummary {
  format: number;
  summary: SourceSummary;
}

/** Stores what inspecting an upload found beside it (under the clone's key, like the upload). */
export async function storeSummary(
  artifacts: ArtifactStore,
  cloneId: string,
  sourceId: string,
  summary: SourceSummary,
): Promise<void> {
  const stored: StoredSummary = { format: SUMMARY_FORMAT, summary };
  await artifacts.put(
    inspectionKey(cloneId, sourceId),
    Readable.from([Buffer.from(JSON.stringify(stored))]),
    {
      contentType: "application/json",
    },
  );
}

/**
 * The summary of several uploads read one after another, from the summaries stored when each was
 * inspected; null when one is missing (uploaded before summaries were stored, or unreadable), stored in
 * an older format, or when the parts cannot say it exactly (see combineSummaries): then read them again.
 */
export async function storedSummaryOf(
  artifacts: ArtifactStore,
  cloneId: string,
  sourceIds: readonly string[],
): Promise<SourceSummary | null> {
  const parts: SourceSummary[] = [];
  for (const sourceId of sourceIds) {
    const part = await load(artifacts, inspectionKey(cloneId, sourceId));
    if (!part) return null;
    parts.push(part);
  }
  return parts.length === 0 ? null : combineSummaries(parts);
}

async function load(artifacts: ArtifactStore, key: string): Promise<SourceSummary | null> {
  try {
    const stored = JSON.parse(await text(await artifacts.get(key))) as Partial<StoredSummary>;
    return stored.format === SUMMARY_FORMAT && stored.summary ? stored.summary : null;
  } catch (error) {
    // Missing, or cut short (a summary is only a shortcut): the caller reads the archives instead.
    if (error instanceof ArtifactNotFoundError || error instanceof SyntaxError) return null;
    throw error;
  }
}
