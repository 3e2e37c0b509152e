import { type CloneEventData, cloneStreamId, parseCloneEvent } from "../../domain/index.js";
import type { EventStore } from "../../infra/eventstore/eventStore.js";
import type { CorrectionForDataset } from "../dataset/correctionSamples.js";

/**
 * The corrections a dataset request names, read from the clone's stream (their words are in the
 * CorrectionRecorded events, opened under the clone's key), oldest first. None for a request recorded
 * before corrections existed.
 */
export async function requestedCorrections(
  store: Pick<EventStore, "readStream">,
  request: CloneEventData<"DatasetRequested">,
): Promise<CorrectionForDataset[]> {
  const wanted = new Set(request.correctionIds ?? []);
  if (wanted.size === 0) return [];
  const found: CorrectionForDataset[] = [];
  for await (const recorded of store.readStream(cloneStreamId(request.cloneId))) {
    if (recorded.type !== "CorrectionRecorded") continue;
    const event = parseCloneEvent(recorded.type, recorded.data);
    if (event.type !== "CorrectionRecorded" || !wanted.has(event.data.correctionId)) continue;
    const { correctionId, context, draft, ownerText } = event.data;
    found.push({ correctionId, context, draft, ownerText });
  }
  return found;
}
