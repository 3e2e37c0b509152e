import type { EventStore } from "../infra/eventstore/eventStore.js";
import { Projector } from "./projector.js";
import type { ReadModels } from "./readModels.js";

/**
 * Replays the whole log into empty read models. Uses the same Projector.apply as live updates.
 * Stops at the head position seen when it started; returns the number of events applied.
 */
export async function rebuildReadModels(
  store: EventStore,
  models: ReadModels,
  onProgress?: (applied: number) => void,
): Promise<number> {
  await models.drop();
  await models.ensureIndexes();
  const head = await store.headPosition();
  if (head === undefined) return 0;
  const projector = new Projector(models);
  const abort = new AbortController();
  let count = 0;
  for await (const event of store.subscribeToAll({ signal: abort.signal })) {
    if (await projector.apply(event)) count++;
    if (count % 1000 === 0) onProgress?.(count);
    if (event.position === head) break;
  }
  abort.abort();
  onProgress?.(count);
  return count;
}
