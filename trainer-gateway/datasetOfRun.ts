import { type CloneEventData, cloneStreamId, parseCloneEvent, peftPrefixOfAdapter } from "../domain/index.js";
import type { EventStore } from "../infra/eventstore/eventStore.js";

/**
 * Where the dataset a training run trains on is stored: TrainingRequested carries it; one recorded before
 * it did is answered from the clone's stream (the DatasetBuilt of its dataset version).
 */
export async function datasetPrefixOf(
  store: Pick<EventStore, "readStream">,
  request: CloneEventData<"TrainingRequested">,
): Promise<string> {
  if (request.datasetArtifactKey !== undefined) return request.datasetArtifactKey;
  const { cloneId, datasetVersion } = request;
  for await (const recorded of store.readStream(cloneStreamId(cloneId))) {
    if (recorded.type !== "DatasetBuilt") continue;
    const event = parseCloneEvent(recorded.type, recorded.data);
    if (event.type === "DatasetBuilt" && event.data.version === datasetVersion) return event.data.artifactKey;
  }
  throw new Error(`clone ${cloneId} has no dataset version ${datasetVersion}`);
}

/** The PEFT folder of the adapter a run continues from (null: a fresh run). */
export function parentPeftPrefixOf(request: CloneEventData<"TrainingRequested">): string | null {
  const parent = request.lineage?.parent;
  if (!parent) return null;
  const prefix = peftPrefixOfAdapter(parent.artifactKey);
  if (!prefix)
    throw new Error(
      `adapter version ${parent.adapterVersion} has no PEFT folder beside ${parent.artifactKey}`,
    );
  return prefix;
}
