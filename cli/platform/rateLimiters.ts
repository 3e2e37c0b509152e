import type { Db } from "mongodb";
import { RateLimiterMemory, RateLimiterMongo } from "rate-limiter-flexible";
import { inProcessRateLimiters, type RateLimiterFactory } from "../../api/limits/requestRateLimits.js";
import type { DocumentStore } from "../../infra/docstore/documentStore.js";
import { MongoDocumentStore } from "../../infra/docstore/mongoDocumentStore.js";
import type { Logger } from "./logger.js";

/**
 * Where the API's rate counters live: on MongoDB, in its database (rate-limiter-flexible's Mongo store), so
 * every API process of the platform counts against one limit per key; should the database fail, each
 * process falls back to counting on its own (the insurance limiter) rather than refusing everyone. On the
 * embedded defaults there is one API process, and it counts in memory.
 */
export function rateLimitersFor(documents: DocumentStore, logger: Logger): RateLimiterFactory {
  if (!(documents instanceof MongoDocumentStore)) return inProcessRateLimiters;
  const database = documents.database();
  return (name, points, duration) => {
    const tableName = `rate_limits_${name}`;
    ensureIndexes(database, tableName).catch((error: unknown) =>
      logger.warn({ err: error, collection: tableName }, "rate-limit counters: index creation failed"),
    );
    return new RateLimiterMongo({
      storeClient: database,
      tableName,
      keyPrefix: name,
      points,
      duration,
      // The library's own index creation stops at the TTL index, which FerretDB 1.x lacks (see below).
      disableIndexesCreation: true,
      insuranceLimiter: new RateLimiterMemory({ points, duration }),
    });
  };
}

/**
 * The unique key index keeps concurrent first requests to one counter; the TTL index only tidies expired
 * counters (an expired one is reset on its next use anyway), so a server without TTL indexes (FerretDB 1.x)
 * is fine without it.
 */
async function ensureIndexes(database: Db, tableName: string): Promise<void> {
  const collection = database.collection(tableName);
  await collection.createIndex({ key: 1 }, { unique: true });
  await collection.createIndex({ expire: -1 }, { expireAfterSeconds: 0 }).catch(() => undefined);
}
