import type { Admin } from "kafkajs";
import { deadLetterTopic } from "./eventBus.js";

/** Maps the port's logical topic names to broker topics; the prefix lets tests and tenants share a cluster. */
export class KafkaTopicNames {
  constructor(private readonly prefix: string) {}

  toBroker(topic: string): string {
    return `${this.prefix}${topic}`;
  }

  fromBroker(topic: string): string {
    return topic.startsWith(this.prefix) ? topic.slice(this.prefix.length) : topic;
  }

  /**
   * One Kafka group per (worker kind, topic): kafkajs's assigners assume every member of a group subscribes
   * to the same topics, and the port subscribes one topic at a time.
   */
  groupId(group: string, topic: string): string {
    return `${this.prefix}${group}@${topic}`;
  }
}

export const isDeadLetterTopic = (topic: string): boolean => topic.endsWith(".dead-letter");

/**
 * Creates topics (and their dead-letter topics) once per bus; idempotent against the broker, because
 * auto-creation is off and a consumer of a missing topic would otherwise fail.
 */
export class KafkaTopicRegistry {
  private readonly ensured = new Map<string, Promise<void>>();

  constructor(
    private readonly admin: () => Promise<Admin>,
    private readonly names: KafkaTopicNames,
    private readonly partitions: number,
  ) {}

  ensure(topic: string): Promise<void> {
    let ready = this.ensured.get(topic);
    if (!ready) {
      ready = this.create(topic);
      // A failure (broker down) must not poison the cache: the next call tries again.
      ready.catch(() => this.ensured.delete(topic));
      this.ensured.set(topic, ready);
    }
    return ready;
  }

  private async create(topic: string): Promise<void> {
    const wanted = isDeadLetterTopic(topic) ? [topic] : [topic, deadLetterTopic(topic)];
    const admin = await this.admin();
    // createTopics answers false (not an error) for topics that exist; waitForLeaders makes the
    // first produce and fetch succeed instead of hitting LEADER_NOT_AVAILABLE.
    await admin.createTopics({
      waitForLeaders: true,
      topics: wanted.map((t) => ({
        topic: this.names.toBroker(t),
        numPartitions: this.partitions,
        replicationFactor: -1,
      })),
    });
  }
}
