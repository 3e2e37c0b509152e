import { randomUUID } from "node:crypto";
import type { EventBus, Subscription } from "../../infra/bus/eventBus.js";
import {
  parseReadModelUpdate,
  type ReadModelUpdate,
  readModelUpdatesTopic,
} from "../../projections/readModelUpdate.js";
import { AsyncQueue } from "./asyncQueue.js";

/**
 * Fans read-model updates out to GraphQL subscribers. Each API instance has its own consumer group,
 * so every instance sees every update (a broadcast), whatever the bus.
 */
export class UpdateFeed {
  private readonly listeners = new Map<string, Set<AsyncQueue<ReadModelUpdate>>>();
  private subscription: Subscription | undefined;

  constructor(
    private readonly bus: EventBus,
    private readonly instanceId = `api-${randomUUID()}`,
  ) {}

  async start(): Promise<void> {
    this.subscription = await this.bus.subscribe(
      readModelUpdatesTopic,
      { group: this.instanceId, maxAttempts: 1, startFrom: "latest" },
      async (m) => {
        const update = parseReadModelUpdate(m.value);
        for (const queue of this.listeners.get(update.cloneId) ?? []) queue.push(update);
      },
    );
  }

  listen(cloneId: string): AsyncQueue<ReadModelUpdate> {
    let set = this.listeners.get(cloneId);
    if (!set) {
      set = new Set();
      this.listeners.set(cloneId, set);
    }
    const queue: AsyncQueue<ReadModelUpdate> = new AsyncQueue(() => {
      set.delete(queue);
      if (set.size === 0) this.listeners.delete(cloneId);
    });
    set.add(queue);
    return queue;
  }

  get listenerCount(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    for (const set of this.listeners.values()) for (const queue of [...set]) void queue.return();
    this.listeners.clear();
  }
}
