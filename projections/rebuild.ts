import type { EventStore, RecordedEvent } from "../infra/eventstore/eventStore.js";
import { Projector } from "./projector.js";
import type { ReadModels } from "./readModels.js";

/** Events applied together (one read and one write per read-model document each). */
const PAGE_SIZE = 500;

/**
 * Replays the whole log into empty read models. Uses the same Projector.applyPage as live updates.
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
  let page: RecordedEvent[] = [];
  const applyPage = async () => {
    const before = count;
    count += (await projector.applyPage(page)).length;
    page = [];
    if (Math.floor(count / 1000) > Math.floor(before / 1000)) onProgress?.(count);
  };
  for await (const event of store.subscribeToAll({ signal: abort.signal })) {
    page.push(event);
    if (event.position === head) break;
    if (page.length >= PAGE_SIZE) await applyPage();
  }
  await applyPage();
  abort.abort();
  onProgress?.(count);
  return count;
}
