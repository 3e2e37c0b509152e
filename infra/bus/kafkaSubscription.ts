import type { Consumer, EachBatchPayload, KafkaMessage, Message } from "kafkajs";
import {
  type Consumer as BusConsumer,
  type DeliveredMessage,
  deadLetterTopic,
  type Subscription,
} from "./eventBus.js";
import type { BusLogger } from "./inProcessEventBus.js";
import { deadLetterRecord, decodeRecord } from "./kafkaMessageCodec.js";
import { isDeadLetterTopic } from "./kafkaTopics.js";

export interface KafkaSubscriptionOptions {
  /** Logical topic name (without the bus prefix): what handlers and dead-letter headers see. */
  topic: string;
  brokerTopic: string;
  maxAttempts: number;
  retryBaseMs: number;
  /** Partitions handled at the same time; each one still strictly one message after another. */
  concurrency: number;
  /** Longest a handled message waits for its offset commit while a batch is still being worked through. */
  commitIntervalMs: number;
  joinTimeoutMs: number;
  /** Where a group without committed offsets starts (the port's SubscribeOptions.startFrom). */
  startFrom: "earliest" | "latest";
  /** Sends records to a logical topic and resolves once the broker acknowledged them. */
  sendToTopic(topic: string, messages: Message[]): Promise<void>;
  logger?: BusLogger | undefined;
}

/** Most messages handed to a batch handler in one call. */
const MAX_HANDLER_BATCH = 500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * One consumer-group member. An offset is committed only after its message was handled or went to the
 * dead-letter topic, so a crash redelivers (at least once) and never skips. Commits are coalesced (end of
 * each fetched batch, or every commitIntervalMs within one): a commit per message costs a coordinator
 * round trip each and held consumption to about 165 messages/s on a local broker.
 */
export class KafkaSubscription implements Subscription {
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly consumer: Consumer,
    private readonly options: KafkaSubscriptionOptions,
    private readonly handler: BusConsumer,
    private readonly onClosed: (subscription: KafkaSubscription) => void,
  ) {}

  /** Resolves once the member holds its partitions, so messages published afterwards reach it. */
  static async start(
    consumer: Consumer,
    options: KafkaSubscriptionOptions,
    handler: BusConsumer,
    onClosed: (subscription: KafkaSubscription) => void,
  ): Promise<KafkaSubscription> {
    const subscription = new KafkaSubscription(consumer, options, handler, onClosed);
    let removeListener: (() => void) | undefined;
    const joined = new Promise<void>((resolve) => {
      removeListener = consumer.on(consumer.events.GROUP_JOIN, () => resolve());
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `consumer for ${options.topic} did not join its group within ${options.joinTimeoutMs} ms`,
            ),
          ),
        options.joinTimeoutMs,
      );
    });
    // kafkajs restarts a member after retriable failures (a broker restart) on its own; anything else stops
    // it for good, and that must not pass silently.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart)
        options.logger?.error(
          { topic: options.topic, groupId: payload.groupId, reason: reasonOf(payload.error) },
          "consumer stopped",
        );
    });
    try {
      await consumer.connect();
      // A new group starts at the earliest offset by default: every message published after subscribe() is
      // seen, even one that lands before the first assignment. Live fan-out (subscriptions) asks for latest.
      await consumer.subscribe({
        topics: [options.brokerTopic],
        fromBeginning: options.startFrom === "earliest",
      });
      await consumer.run({
        autoCommit: false,
        // Only offsets of handled messages are resolved; kafkajs must not resolve the rest of a batch.
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: options.concurrency,
        eachBatch: (payload) => subscription.consumeBatch(payload),
      });
      await Promise.race([joined, timeout]);
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
      removeListener?.();
    }
    return subscription;
  }

  private async consumeBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, isRunning, isStale } = payload;
    const step = this.handler.batched ? MAX_HANDLER_BATCH : 1;
    const clock = { lastCommit: Date.now() };
    try {
      for (let start = 0; start < batch.messages.length; start += step) {
        // Stale: the partition was revoked or sought; what is left of the batch belongs to someone else now.
        if (!isRunning() || isStale()) break;
        const chunk = batch.messages.slice(start, start + step);
        if (!(await this.consumeTogether(batch.partition, chunk)))
          for (const message of chunk) {
            if (!isRunning() || isStale()) break;
            await this.consume(batch.partition, message, payload.heartbeat);
            await this.handled(payload, message, clock);
          }
        else await this.handled(payload, chunk.at(-1)!, clock);
      }
    } finally {
      // Also when a step threw: what was handled stays handled, only the rest is delivered again.
      await this.commit(payload);
    }
  }

  /**
   * A batch handler's chunk in one call; false when it must go one message at a time instead (a single
   * handler, a chunk of one, a record that does not decode, or the handler threw: at least once).
   */
  private async consumeTogether(partition: number, chunk: KafkaMessage[]): Promise<boolean> {
    if (!this.handler.batched || chunk.length < 2) return false;
    const { topic } = this.options;
    let messages: DeliveredMessage[];
    try {
      messages = chunk.map((message) => ({ ...decodeRecord(message), topic, attempt: 1 }));
    } catch {
      return false;
    }
    try {
      await this.handler.handle(messages);
      return true;
    } catch (error) {
      this.options.logger?.warn(
        { topic, partition, messages: chunk.length, reason: reasonOf(error) },
        "batch failed; one at a time",
      );
      return false;
    }
  }

  /** Marks a message (and those before it) handled; commits when the interval has passed. */
  private async handled(payload: EachBatchPayload, message: KafkaMessage, clock: { lastCommit: number }) {
    payload.resolveOffset(message.offset);
    await payload.heartbeat();
    if (Date.now() - clock.lastCommit >= this.options.commitIntervalMs) {
      await this.commit(payload);
      clock.lastCommit = Date.now();
    }
  }

  private async consume(
    partition: number,
    message: KafkaMessage,
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    const { topic, maxAttempts } = this.options;
    let decoded: ReturnType<typeof decodeRecord>;
    try {
      decoded = decodeRecord(message);
    } catch (error) {
      // Retrying cannot fix bytes that do not decode: straight to the dead-letter topic.
      await this.deadLetter(partition, message, reasonOf(error), 0, false);
      return;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await this.handler.handle([{ ...decoded, topic, attempt }]);
        return;
      } catch (error) {
        const reason = reasonOf(error);
        if (attempt >= maxAttempts) {
          await this.deadLetter(partition, message, reason, attempt, true);
          return;
        }
        this.options.logger?.warn(
          { topic, key: decoded.key, partition, attempt, reason },
          "handler failed; retrying",
        );
        await sleep(this.options.retryBaseMs * 2 ** (attempt - 1));
        // Backoff must not cost the membership: a silent member is evicted and its partitions move.
        await heartbeat();
      }
    }
  }

  private async deadLetter(
    partition: number,
    message: KafkaMessage,
    error: string,
    attempts: number,
    decodable: boolean,
  ): Promise<void> {
    const { topic } = this.options;
    this.options.logger?.error(
      { topic, partition, offset: message.offset, attempts, reason: error },
      "message dead-lettered",
    );
    // A dead-letter topic has no dead-letter topic of its own: the failure is logged and the message skipped.
    if (isDeadLetterTopic(topic)) return;
    await this.options.sendToTopic(deadLetterTopic(topic), [
      deadLetterRecord(message, { topic, partition, offset: message.offset, error, attempts }, decodable),
    ]);
  }

  private async commit({ uncommittedOffsets, commitOffsetsIfNecessary }: EachBatchPayload): Promise<void> {
    const pending = uncommittedOffsets();
    if (pending.topics.some((t) => t.partitions.length > 0)) await commitOffsetsIfNecessary(pending);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      // disconnect() waits for the message in hand, then leaves the group so its partitions move at once.
      await this.consumer.disconnect();
      this.onClosed(this);
    })();
    return this.closing;
  }
}
