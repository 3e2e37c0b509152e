import type { EventStore, RecordedEvent } from "../eventStore.js";

/**
 * Runs one `subscribeToAll` in the background and records the events a test cares about, so a test can append
 * while it listens and then wait for (or rule out) deliveries with a deadline instead of hanging.
 */
export class SubscriptionProbe {
  readonly received: RecordedEvent[] = [];
  private readonly controller = new AbortController();
  private readonly finished: Promise<void>;
  private readonly listeners = new Set<() => void>();
  private failure: { error: unknown } | undefined;
  private ended = false;

  constructor(
    store: EventStore,
    after: string | undefined,
    private readonly keep: (event: RecordedEvent) => boolean,
  ) {
    this.finished = this.run(store, after);
  }

  /** The first `count` kept events, once they have arrived; fails after `timeoutMs` saying how many did. */
  async waitFor(count: number, timeoutMs: number): Promise<RecordedEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (this.failure) throw this.failure.error;
      if (this.ended) throw new Error(`subscription ended after ${this.received.length} of ${count} events`);
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`timed out after ${timeoutMs} ms with ${this.received.length} of ${count} events`);
      }
      await this.nextChange(left);
    }
    return this.received.slice(0, count);
  }

  /** Ends the subscription through its signal and waits until its loop has returned. */
  async stop(): Promise<void> {
    this.controller.abort();
    await this.finished;
    if (this.failure) throw this.failure.error;
  }

  private async run(store: EventStore, after: string | undefined): Promise<void> {
    try {
      for await (const event of store.subscribeToAll({ after, signal: this.controller.signal })) {
        if (!this.keep(event)) continue;
        this.received.push(event);
        this.changed();
      }
    } catch (error) {
      this.failure = { error };
    } finally {
      this.ended = true;
      this.changed();
    }
  }

  private nextChange(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.listeners.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.listeners.add(done);
    });
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
