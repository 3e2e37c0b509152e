/** The distributed read-model store: one MongoDB database (or FerretDB, which speaks its protocol). */
import { type Db, MongoClient, type Collection as MongoCollection } from "mongodb";
import { KeyedMutex } from "../concurrency/keyedMutex.js";
import type { Collection, Document, DocumentStore } from "./documentStore.js";
import { type MongoCollectionHost, MongoDocumentCollection } from "./mongoCollection.js";
import { validateCollectionName, validateCollectionPrefix } from "./queryValidation.js";

export interface MongoDocumentStoreOptions {
  /** The database holding the collections; letters, digits, '_' or '-' (portable across MongoDB and FerretDB). */
  database: string;
  /** How long an operation waits for a reachable server before failing; the driver's default is 30 s. */
  serverSelectionTimeoutMs?: number;
}

const DATABASE_NAME = /^[A-Za-z0-9_-]{1,63}$/;

function validateDatabaseName(name: unknown): string {
  if (typeof name !== "string" || !DATABASE_NAME.test(name)) {
    throw new TypeError(
      `invalid database name ${JSON.stringify(name)}: use 1-63 letters, digits, '_' or '-'`,
    );
  }
  return name;
}

/** The URL without credentials, for error messages and logs. */
function redacted(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}

export class MongoDocumentStore implements DocumentStore {
  private readonly host: MongoCollectionHost = {
    collection: (name) => this.mongoCollection(name),
    writes: new KeyedMutex(),
  };
  private closed = false;

  private constructor(
    private readonly client: MongoClient,
    private readonly databaseName: string,
    private readonly where: string,
  ) {}

  /** Connects and checks the server answers, so a wrong URL fails at start-up rather than on first use. */
  static async connect(url: string, options: MongoDocumentStoreOptions): Promise<MongoDocumentStore> {
    const database = validateDatabaseName(options.database);
    const where = `${redacted(url)} database ${database}`;
    const client = new MongoClient(url, {
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 30_000,
      appName: "aiclone-docstore",
    });
    try {
      await client.connect();
      await client.db(database).command({ ping: 1 });
    } catch (error) {
      await client.close().catch(() => {});
      throw new Error(`document store ${where}: cannot connect: ${(error as Error).message}`, {
        cause: error,
      });
    }
    return new MongoDocumentStore(client, database, where);
  }

  collection<T extends Document = Document>(name: string): Collection<T> {
    // Validated here as well as on every use, so a bad name fails where it was written.
    return new MongoDocumentCollection<T>(this.host, validateCollectionName(name));
  }

  async dropCollections(prefix: string): Promise<void> {
    const valid = validateCollectionPrefix(prefix);
    const db = this.db();
    const names = (await db.listCollections({}, { nameOnly: true }).toArray())
      .map((info) => info.name)
      .filter((name) => name.startsWith(valid));
    // One by one: MongoDB has no multi-collection drop, so a reader may briefly see part of a rebuild's
    // drop. Dropping a collection also drops its indexes, as in SQLite.
    for (const name of names) await db.dropCollection(name);
  }

  /** Nothing to do: MongoDB compacts on its own; deleted data is left to its encryption at rest. */
  async flushDeletions(): Promise<void> {}

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.close();
  }

  /**
   * The driver's handle on this store's database, for libraries that keep their own state in it (the API's
   * shared rate-limit counters). Throws once the store is closed.
   */
  database(): Db {
    return this.db();
  }

  private mongoCollection(name: string): MongoCollection<Document> {
    return this.db().collection<Document>(validateCollectionName(name));
  }

  private db(): Db {
    // The driver would silently reconnect after close; fail like the SQLite adapter instead.
    if (this.closed) throw new Error(`document store ${this.where} is closed`);
    return this.client.db(this.databaseName);
  }
}
