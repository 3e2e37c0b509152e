import { EventEmitter } from "node:events";
import type { BusMessage, EventBus } from "../bus/eventBus.js";
import { type EventEnvelope, toEnvelope, topicForStream } from "../bus/eventEnvelope.js";
import type { Collection } from "../docstore/documentStore.js";
import type { EventStore, RecordedEvent } from "../eventstore/eventStore.js";
import { batchedIterable } from "./batchedIterable.js";

/** Most events published in one bus call. */
const MAX_BATCH = 500;

export interface CheckpointDoc {
  _id: string;
  position: string;
  updatedAt: string;
  [field: string]: unknown;
}

export interface RelayLogger {
  info(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/**
 * Follows the global log from a persisted checkpoint and publishes each event to its bus topic.
 * The checkpoint is written after the bus accepted the event, so a crash re-publishes (at least
 * once) and never skips; consumers dedupe.
 */
export class EventRelay {
  private readonly abort = new AbortController();
  private readonly published = new EventEmitter();
  private running: Promise<void> | undefined;
  private lastPosition: string | undefined;
  private savedPosition: string | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly bus: EventBus,
    private readonly checkpoints: Collection<CheckpointDoc>,
    private readonly logger: RelayLogger,
    private readonly name = "relay",
    private readonly checkpointEvery = 200,
  ) {
    this.published.setMaxListeners(0);
  }

  async start(): Promise<void> {
    const checkpoint = await this.checkpoints.get(this.name);
    this.lastPosition = this.savedPosition = checkpoint?.position;
    this.logger.info({ checkpoint: checkpoint?.position ?? "start" }, "relay starting");
    // Someone may already wait for the checkpoint's position (a start-up catch-up): it is reached.
    if (checkpoint) this.published.emit(checkpoint.position);
    this.running = this.run(checkpoint?.position).catch((error: unknown) => {
      if (!this.abort.signal.aborted) this.logger.error({ err: error }, "relay stopped on an error");
    });
  }

  private async run(after: string | undefined): Promise<void> {
    let sinceSave = 0;
    const subscription = this.store.subscribeToAll({
      ...(after ? { after } : {}),
      signal: this.abort.signal,
    });
    for await (const batch of batchedIterable(subscription, MAX_BATCH)) {
      await this.publishBatch(batch);
      for (const event of batch) {
        this.lastPosition = event.position;
        this.published.emit(event.position);
      }
      sinceSave += batch.length;
      if (sinceSave >= this.checkpointEvery) {
        await this.saveCheckpoint();
        sinceSave = 0;
      } else this.scheduleSave();
    }
  }

  private saveTimer: NodeJS.Timeout | undefined;
  private scheduleSave(): void {
    this.saveTimer ??= setTimeout(() => {
      this.saveTimer = undefined;
      void this.saveCheckpoint().catch((error: unknown) =>
        this.logger.error({ err: error }, "checkpoint save failed"),
      );
    }, 100);
  }

  private async saveCheckpoint(): Promise<void> {
    const position = this.lastPosition;
    if (position === undefined || position === this.savedPosition) return;
    await this.checkpoints.put({ _id: this.name, position, updatedAt: new Date().toISOString() });
    this.savedPosition = position;
  }

  /** One bus call per topic, events in log order within it: ordering per key holds. */
  private async publishBatch(events: RecordedEvent[]): Promise<void> {
    const byTopic = new Map<string, BusMessage[]>();
    for (const event of events) {
      const route = topicForStream(event.streamId);
      if (!route) continue;
      const value: EventEnvelope = toEnvelope(event);
      const messages = byTopic.get(route.topic) ?? [];
      messages.push({ key: route.key, value, headers: { "event-type": event.type } });
      byTopic.set(route.topic, messages);
    }
    await Promise.all([...byTopic].map(([topic, messages]) => this.bus.publish(topic, messages)));
  }

  /** Resolves once the event at this position has been published (immediately if it already was the last). */
  waitFor(position: string | undefined, timeoutMs = 30_000): Promise<void> {
    if (position === undefined || position === this.lastPosition) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.published.off(position, done);
        reject(new Error(`relay did not reach position ${position} within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.published.once(position, done);
    });
  }

  get position(): string | undefined {
    return this.lastPosition;
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    await this.saveCheckpoint();
  }
}
