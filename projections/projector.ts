import { EventEmitter } from "node:events";
import { isCloneEventType, isOwnerEventType } from "../domain/index.js";
import type { DeliveredMessage, EventBus, Subscription } from "../infra/bus/eventBus.js";
import { parseEnvelope } from "../infra/bus/eventEnvelope.js";
import type { RecordedEvent } from "../infra/eventstore/eventStore.js";
import { ProjectionPage } from "./projectionPage.js";
import type { ReadModels } from "./readModels.js";
import { type ReadModelUpdate, readModelUpdatesTopic } from "./readModelUpdate.js";

export const projectionGroup = "projections";

/**
 * Applies events to the read models, a bus batch at a time. Each write is guarded by the stream revision,
 * so redelivered or replayed events change nothing; after a write the updates are announced for subscriptions.
 */
export class Projector {
  readonly applied = new EventEmitter();
  private subscriptions: Subscription[] = [];

  constructor(
    private readonly models: ReadModels,
    private readonly bus?: EventBus,
  ) {
    this.applied.setMaxListeners(0);
  }

  async start(): Promise<void> {
    if (!this.bus) throw new Error("a projector without a bus can only replay");
    const handler = (messages: DeliveredMessage[]) => this.handleMessages(messages);
    for (const topic of ["clone-events", "owner-events"])
      this.subscriptions.push(await this.bus.subscribeBatch(topic, { group: projectionGroup }, handler));
  }

  async stop(): Promise<void> {
    await Promise.all(this.subscriptions.map((s) => s.close()));
    this.subscriptions = [];
  }

  /** A page from the bus: applied together, then its clones' updates announced in one publish. */
  private async handleMessages(messages: DeliveredMessage[]): Promise<void> {
    const applied = await this.applyPage(messages.map((m) => parseEnvelope(m.value)));
    const updates = applied
      .filter((event) => event.streamId.startsWith("clone-"))
      .map((event): ReadModelUpdate => ({ cloneId: event.streamId.slice("clone-".length), event }));
    if (updates.length > 0 && this.bus)
      await this.bus.publish(
        readModelUpdatesTopic,
        updates.map((update) => ({ key: update.cloneId, value: update })),
      );
  }

  /** Applies one event; false when it was already applied (a redelivery). */
  async apply(event: RecordedEvent): Promise<boolean> {
    return (await this.applyPage([event])).length === 1;
  }

  /**
   * Applies events in log order with one read and one write per read-model document for the page (see
   * ProjectionPage); returns the events it applied, leaving out redeliveries and streams no read model is
   * built from (e.g. platform-init), live or in a rebuild.
   */
  async applyPage(events: RecordedEvent[]): Promise<RecordedEvent[]> {
    const tracked = events.filter((e) => isCloneEventType(e.type) || isOwnerEventType(e.type));
    if (tracked.length === 0) return [];
    const page = new ProjectionPage(this.models);
    await page.load(tracked);
    const applied: RecordedEvent[] = [];
    for (const event of tracked) {
      if (page.holds(event)) continue;
      if (isCloneEventType(event.type)) await page.applyClone(event);
      else await page.applyOwner(event);
      applied.push(event);
    }
    await page.flush();
    for (const event of applied) this.applied.emit(event.streamId, event.revision);
    return applied;
  }
}
