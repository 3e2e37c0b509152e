import { Kafka, logLevel } from "kafkajs";

/**
 * Deletes the topics a test or bench run made (those starting with its prefix), so runs do not pile
 * partitions up on the local broker: after a few hundred runs its thousands of partitions had halved the
 * Kafka bench figures.
 */
export async function dropTopicsWithPrefix(brokers: string[], prefix: string): Promise<void> {
  const admin = new Kafka({ brokers, clientId: "aiclone-topic-cleanup", logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const mine = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (mine.length > 0) await admin.deleteTopics({ topics: mine });
  } finally {
    await admin.disconnect();
  }
}
