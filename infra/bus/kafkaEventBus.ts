import {
  type Admin,
  Kafka,
  type LogEntry,
  logLevel,
  type Message,
  Partitioners,
  type Producer,
} from "kafkajs";
import {
  type BatchHandler,
  type BusMessage,
  batchConsumer,
  type Consumer,
  type EventBus,
  type MessageHandler,
  type SubscribeOptions,
  type Subscription,
  singleConsumer,
} from "./eventBus.js";
import type { BusLogger } from "./inProcessEventBus.js";
import { encodeMessage } from "./kafkaMessageCodec.js";
import { KafkaSubscription } from "./kafkaSubscription.js";
import { KafkaTopicNames, KafkaTopicRegistry } from "./kafkaTopics.js";

export interface KafkaEventBusOptions {
  brokers: string[];
  clientId?: string;
  /** Partitions of each topic this bus creates; the upper bound on members of one group doing work. */
  partitions?: number;
  /** Prepended to every topic and group name, so tests (or tenants) can share one cluster. */
  topicPrefix?: string;
  logger?: BusLogger;
  /** First retry delay of a failing handler; doubles per attempt. */
  retryBaseMs?: number;
  /** Partitions one subscription handles at the same time (each still in order). */
  concurrency?: number;
  /** How long `subscribe` waits for the member to get its partitions. */
  joinTimeoutMs?: number;
}

/**
 * The bus on Kafka. Keys are clone ids, so one clone's events share a partition and keep their order;
 * `publish` resolves when every in-sync replica has the records (acks -1).
 */
export class KafkaEventBus implements EventBus {
  private readonly kafka: Kafka;
  private readonly names: KafkaTopicNames;
  private readonly topics: KafkaTopicRegistry;
  private readonly subscriptions = new Set<KafkaSubscription>();
  private admin: Promise<Admin> | undefined;
  private producer: Promise<Producer> | undefined;
  /** kafkajs's idempotent producer loses or rejects records when sends overlap (tulios/kafkajs#1005, #598). */
  private sendTail: Promise<unknown> = Promise.resolve();
  private readonly outbox: {
    topic: string;
    records: Message[];
    resolve: () => void;
    reject: (error: unknown) => void;
  }[] = [];
  private closed = false;

  constructor(private readonly options: KafkaEventBusOptions) {
    if (options.brokers.length === 0) throw new Error("KafkaEventBus needs at least one broker address");
    const logger = options.logger;
    this.kafka = new Kafka({
      clientId: options.clientId ?? "aiclone",
      brokers: options.brokers,
      connectionTimeout: 3_000,
      requestTimeout: 30_000,
      // Long enough to ride out a broker restart (about 10 s here) before an operation gives up.
      retry: { initialRetryTime: 200, maxRetryTime: 3_000, retries: 20 },
      logLevel: logger ? logLevel.WARN : logLevel.NOTHING,
      logCreator: () => (entry: LogEntry) => {
        if (!logger) return;
        const { message, ...fields } = entry.log;
        const context = { ...fields, namespace: entry.namespace };
        if (entry.level === logLevel.ERROR) logger.error(context, `kafkajs: ${message}`);
        else logger.warn(context, `kafkajs: ${message}`);
      },
    });
    this.names = new KafkaTopicNames(options.topicPrefix ?? "");
    this.topics = new KafkaTopicRegistry(() => this.adminClient(), this.names, options.partitions ?? 6);
  }

  async publish(topic: string, messages: BusMessage[]): Promise<void> {
    this.assertOpen();
    if (messages.length === 0) return;
    // Encode before anything goes out: a bad message fails the whole call, nothing half-sent.
    await this.send(topic, messages.map(encodeMessage));
  }

  subscribe(topic: string, options: SubscribeOptions, handler: MessageHandler): Promise<Subscription> {
    return this.join(topic, options, singleConsumer(handler));
  }

  subscribeBatch(topic: string, options: SubscribeOptions, handler: BatchHandler): Promise<Subscription> {
    return this.join(topic, options, batchConsumer(handler));
  }

  private async join(topic: string, options: SubscribeOptions, handler: Consumer): Promise<Subscription> {
    this.assertOpen();
    await this.topics.ensure(topic);
    const consumer = this.kafka.consumer({
      groupId: this.names.groupId(options.group, topic),
      allowAutoTopicCreation: false,
      sessionTimeout: 10_000,
      rebalanceTimeout: 15_000,
      heartbeatInterval: 1_000,
      // Short fetch waits keep heartbeats (sent between fetches) and rebalances quick on idle topics.
      maxWaitTimeInMs: 250,
      retry: { initialRetryTime: 200, maxRetryTime: 3_000, retries: 20 },
    });
    const subscription = await KafkaSubscription.start(
      consumer,
      {
        topic,
        brokerTopic: this.names.toBroker(topic),
        maxAttempts: options.maxAttempts ?? 5,
        retryBaseMs: this.options.retryBaseMs ?? 100,
        concurrency: this.options.concurrency ?? this.options.partitions ?? 6,
        joinTimeoutMs: this.options.joinTimeoutMs ?? 30_000,
        commitIntervalMs: 200,
        startFrom: options.startFrom ?? "earliest",
        sendToTopic: (t, records) => this.send(t, records),
        logger: this.options.logger,
      },
      handler,
      (s) => this.subscriptions.delete(s),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.sendTail;
    const [producer, admin] = await Promise.all([
      this.producer?.catch(() => undefined),
      this.admin?.catch(() => undefined),
    ]);
    await Promise.all([producer?.disconnect(), admin?.disconnect()]);
  }

  /**
   * Sends go out one request at a time (see the producer's maxInFlightRequests), so publishes that arrive
   * while one is in flight are coalesced into the next request: many concurrent handlers (the projector
   * announcing read-model updates, one per partition) then cost one round trip, not one each.
   */
  private send(topic: string, records: Message[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.outbox.push({ topic, records, resolve, reject });
      if (this.outbox.length === 1) this.sendTail = this.sendTail.then(() => this.flushOutbox());
    });
  }

  private async flushOutbox(): Promise<void> {
    const pending = this.outbox.splice(0);
    if (pending.length === 0) return;
    try {
      const byTopic = new Map<string, Message[]>();
      for (const { topic, records } of pending) {
        await this.topics.ensure(topic);
        byTopic.set(topic, [...(byTopic.get(topic) ?? []), ...records]);
      }
      const producer = await this.producerClient();
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({
          topic: this.names.toBroker(topic),
          messages,
        })),
      });
      for (const entry of pending) entry.resolve();
    } catch (error) {
      for (const entry of pending) entry.reject(error);
    }
  }

  private adminClient(): Promise<Admin> {
    this.admin ??= connectOrForget(this.kafka.admin(), () => {
      this.admin = undefined;
    });
    return this.admin;
  }

  private producerClient(): Promise<Producer> {
    this.producer ??= connectOrForget(
      this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
        // The idempotent producer defaults to endless retries; a publish must fail when the broker stays away.
        retry: { initialRetryTime: 200, maxRetryTime: 3_000, retries: 20 },
      }),
      () => {
        this.producer = undefined;
      },
    );
    return this.producer;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("bus is closed");
  }
}

/** A client whose first connect failed is dropped, so the next call starts a fresh one. */
async function connectOrForget<T extends { connect(): Promise<void> }>(
  client: T,
  forget: () => void,
): Promise<T> {
  try {
    await client.connect();
    return client;
  } catch (error) {
    forget();
    throw error;
  }
}
