import {
  type BatchHandler,
  type BusMessage,
  batchConsumer,
  type Consumer,
  deadLetterTopic,
  type EventBus,
  type MessageHandler,
  type SubscribeOptions,
  type Subscription,
  singleConsumer,
} from "./eventBus.js";

export interface BusLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

interface Group {
  consumers: Consumer[];
  maxAttempts: number;
  /** Deliveries to one group run one after another, so messages of a key keep their order. */
  tail: Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The embedded bus. `publish` resolves once every group has handled the messages (or dead-lettered
 * them), so a relay that checkpoints after `publish` gives at-least-once delivery across crashes.
 */
export class InProcessEventBus implements EventBus {
  private readonly topics = new Map<string, Map<string, Group>>();
  private closed = false;

  constructor(
    private readonly logger?: BusLogger,
    private readonly retryBaseMs = 20,
  ) {}

  async publish(topic: string, messages: BusMessage[]): Promise<void> {
    if (this.closed) throw new Error("bus is closed");
    if (messages.length === 0) return;
    // A round trip through JSON gives consumers the same copy semantics a real broker would.
    const copies = messages.map((m) => JSON.parse(JSON.stringify(m)) as BusMessage);
    const groups = [...(this.topics.get(topic)?.values() ?? [])];
    await Promise.all(
      groups.map((group) => {
        const run = group.tail.then(() => this.deliver(topic, group, copies));
        group.tail = run.catch(() => undefined);
        return run;
      }),
    );
  }

  /** A group's share of one publish call: each consumer gets its keys' messages, a batch consumer in one call. */
  private async deliver(topic: string, group: Group, messages: BusMessage[]): Promise<void> {
    const consumers = group.consumers;
    if (consumers.length === 0) return;
    // Same key → same consumer, as a partitioned broker would do.
    const parts = new Map<Consumer, BusMessage[]>();
    for (const message of messages) {
      const consumer = consumers[hashKey(message.key) % consumers.length]!;
      const part = parts.get(consumer) ?? [];
      part.push(message);
      parts.set(consumer, part);
    }
    for (const [consumer, part] of parts) {
      if (group.consumers.length === 0) return;
      if (consumer.batched && part.length > 1) {
        try {
          await consumer.handle(part.map((message) => ({ ...message, topic, attempt: 1 })));
          continue;
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          this.logger?.warn({ topic, messages: part.length, reason }, "batch failed; one at a time");
        }
      }
      for (const message of part) await this.deliverOne(topic, group, consumer, message);
    }
  }

  private async deliverOne(
    topic: string,
    group: Group,
    consumer: Consumer,
    message: BusMessage,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await consumer.handle([{ ...message, topic, attempt }]);
        return;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (attempt >= group.maxAttempts) {
          this.logger?.error({ topic, key: message.key, attempt, reason }, "message dead-lettered");
          if (!topic.endsWith(".dead-letter"))
            await this.publish(deadLetterTopic(topic), [
              {
                ...message,
                headers: {
                  ...message.headers,
                  "x-original-topic": topic,
                  "x-error": reason,
                  "x-attempts": String(attempt),
                },
              },
            ]);
          return;
        }
        this.logger?.warn({ topic, key: message.key, attempt, reason }, "handler failed; retrying");
        await sleep(this.retryBaseMs * 2 ** (attempt - 1));
      }
    }
  }

  subscribe(topic: string, options: SubscribeOptions, handler: MessageHandler): Promise<Subscription> {
    return this.join(topic, options, singleConsumer(handler));
  }

  subscribeBatch(topic: string, options: SubscribeOptions, handler: BatchHandler): Promise<Subscription> {
    return this.join(topic, options, batchConsumer(handler));
  }

  private async join(topic: string, options: SubscribeOptions, consumer: Consumer): Promise<Subscription> {
    let groups = this.topics.get(topic);
    if (!groups) {
      groups = new Map();
      this.topics.set(topic, groups);
    }
    let group = groups.get(options.group);
    if (!group) {
      group = { consumers: [], maxAttempts: options.maxAttempts ?? 5, tail: Promise.resolve() };
      groups.set(options.group, group);
    }
    group.consumers.push(consumer);
    const owner = group;
    return {
      close: async () => {
        owner.consumers = owner.consumers.filter((c) => c !== consumer);
        await owner.tail;
        if (owner.consumers.length === 0) groups.delete(options.group);
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const tails = [...this.topics.values()].flatMap((groups) => [...groups.values()].map((g) => g.tail));
    await Promise.all(tails);
    this.topics.clear();
  }
}

function hashKey(key: string): number {
  let hash = 2166136261;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 16777619);
  return hash >>> 0;
}
