/**
 * The distributed setup the int tests run as operators would: Kafka, a MongoDB-compatible server and an S3
 * server (started by scripts/services; their addresses in the environment), each test on names of its own.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";

const { KAFKA_BROKERS, MONGODB_URL, S3_ENDPOINT, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_REGION } =
  process.env;

/** Why a test of `what` skips (a server's address is missing), or false when all three are there. */
export function distributedSkip(what: string): string | false {
  const missing = Object.entries({ KAFKA_BROKERS, MONGODB_URL, S3_ENDPOINT })
    .filter(([, value]) => !value)
    .map(([name]) => name);
  const skip = missing.length
    ? `${what} needs ${missing.join(", ")} (npm run services:up starts Kafka, FerretDB and an S3 server)`
    : false;
  if (skip) console.log(`skipped: ${skip}`);
  return skip;
}

/**
 * A platform configuration on Kafka, MongoDB and S3 under `dir`, with a topic prefix, database and bucket
 * named after `name` and a random run id; `extra` adds sections (training, preview, security, …).
 */
export function distributedConfig(
  dir: string,
  name: string,
  options: { dataDir?: string; extra?: Record<string, unknown> } = {},
): Record<string, unknown> {
  const run = randomBytes(4).toString("hex");
  return {
    dataDir: join(dir, options.dataDir ?? "platform"),
    api: { port: 0 },
    bus: { kind: "kafka", brokers: KAFKA_BROKERS, topicPrefix: `${name}-${run}.`, partitions: 3 },
    documentStore: { kind: "mongodb", url: MONGODB_URL, database: `aiclone_${name}_${run}` },
    artifacts: {
      kind: "s3",
      endpoint: S3_ENDPOINT,
      region: S3_REGION ?? "us-east-1",
      bucket: `aiclone-${name}-${run}`,
      accessKeyId: S3_ACCESS_KEY_ID,
      secretAccessKey: S3_SECRET_ACCESS_KEY,
      forcePathStyle: true,
      // versitygw's posix backend keeps objects as files (see S3ArtifactStoreOptions.suffixObjectKeys).
      suffixObjectKeys: true,
    },
    ...options.extra,
  };
}
