/** The bus port: topics of keyed messages; ordering per key; at-least-once delivery to each consumer group. */

export interface BusMessage {
  key: string;
  /** JSON-serialisable payload; validated by the consumer against its versioned schema. */
  value: unknown;
  headers?: Record<string, string>;
}

export interface DeliveredMessage extends BusMessage {
  topic: string;
  /** 1 on first delivery, higher on redelivery. */
  attempt: number;
}

export type MessageHandler = (message: DeliveredMessage) => Promise<void>;
/** Takes what arrived together, in order per key; see `EventBus.subscribeBatch`. */
export type BatchHandler = (messages: DeliveredMessage[]) => Promise<void>;

/** How a bus adapter holds either kind of handler: always called with a list, one message long unless batched. */
export interface Consumer {
  handle: BatchHandler;
  batched: boolean;
}

export const singleConsumer = (handler: MessageHandler): Consumer => ({
  handle: async (messages) => {
    for (const message of messages) await handler(message);
  },
  batched: false,
});

export const batchConsumer = (handler: BatchHandler): Consumer => ({ handle: handler, batched: true });

export interface SubscribeOptions {
  /** Consumers sharing a group split the messages; each group sees every message. */
  group: string;
  /** Attempts before a message goes to `<topic>.dead-letter`. */
  maxAttempts?: number;
  /**
   * Where a group with no committed position starts: `earliest` (default: workers and projections must
   * not miss what was published before they first ran) or `latest` (live fan-out such as subscriptions).
   */
  startFrom?: "earliest" | "latest";
}

export interface Subscription {
  close(): Promise<void>;
}

export interface EventBus {
  /** Resolves once the bus has accepted the messages durably (for the in-process bus: once every group handled them). */
  publish(topic: string, messages: BusMessage[]): Promise<void>;
  subscribe(topic: string, options: SubscribeOptions, handler: MessageHandler): Promise<Subscription>;
  /**
   * Like `subscribe`, but the handler takes what arrived together (a publish call in process, a fetched
   * batch on Kafka), in order per key, so it can do one round trip for many messages. When it throws, the
   * bus hands those messages over again one at a time (a list of one), each with `subscribe`'s retries and
   * dead-letter: a batch handler must be idempotent, some messages of a failed batch are seen twice.
   */
  subscribeBatch(topic: string, options: SubscribeOptions, handler: BatchHandler): Promise<Subscription>;
  close(): Promise<void>;
}

export const deadLetterTopic = (topic: string): string => `${topic}.dead-letter`;
