import type { Consumer, EachBatchPayload, KafkaMessage, Message } from "kafkajs";
import { deadLetterTopic, type MessageHandler, type Subscription } from "./eventBus.js";
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
    private readonly handler: MessageHandler,
    private readonly onClosed: (subscription: KafkaSubscription) => void,
  ) {}

  /** Resolves once the member holds its partitions, so messages published afterwards reach it. */
  static async start(
    consumer: Consumer,
    options: KafkaSubscriptionOptions,
    handler: MessageHandler,
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
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    let lastCommit = Date.now();
    try {
      for (const message of batch.messages) {
        // Stale: the partition was revoked or sought; what is left of the batch belongs to someone else now.
        if (!isRunning() || isStale()) break;
        await this.consume(batch.partition, message, heartbeat);
        resolveOffset(message.offset);
        await heartbeat();
        if (Date.now() - lastCommit >= this.options.commitIntervalMs) {
          await this.commit(payload);
          lastCommit = Date.now();
        }
      }
    } finally {
      // Also when a step threw: what was handled stays handled, only the rest is delivered again.
      await this.commit(payload);
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
        await this.handler({ ...decoded, topic, attempt });
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
