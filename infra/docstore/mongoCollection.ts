import type { Collection as MongoCollection } from "mongodb";
import { MongoServerError } from "mongodb";
import { KeyedMutex } from "../concurrency/keyedMutex.js";
import type { Collection, Document, Filter, FindOptions } from "./documentStore.js";
import { DuplicateKeyError } from "./documentStore.js";
import { identifyClash, isDuplicateKeyError } from "./mongoDuplicateKey.js";
import { guardAllows, mongoFilter, mongoSort } from "./mongoQuery.js";
import {
  guardValue,
  validateDocument,
  validateFilter,
  validateFindOptions,
  validateIndexFields,
  validateMany,
} from "./queryValidation.js";

/** What a collection needs from its store, which owns the client and knows when it is closed. */
export interface MongoCollectionHost {
  collection(name: string): MongoCollection<Document>;
  /**
   * Single-document writes of this process, serialised per collection and `_id`. FerretDB 1.x runs an
   * update as find-then-write in separate transactions, so two guarded upserts of one document could
   * both pass the guard and the older could land last. MongoDB itself does not need this.
   */
  readonly writes: KeyedMutex;
}

/** MongoDB answers these when an index with the same fields exists with other options or another name. */
const INDEX_CONFLICT_CODES: readonly unknown[] = [85, 86];
/** A concurrent insert of the same `_id` can make an upsert's insert fail; the retry then updates. */
const UPSERT_ATTEMPTS = 3;

function validateId(id: unknown): string {
  if (typeof id !== "string") throw new TypeError(`document id: expected a string, got ${typeof id}`);
  return id;
}

export class MongoDocumentCollection<T extends Document> implements Collection<T> {
  constructor(
    private readonly host: MongoCollectionHost,
    readonly name: string,
  ) {}

  async get(id: string): Promise<T | null> {
    return (await this.mongo.findOne({ _id: validateId(id) })) as T | null;
  }

  async find(filter?: Filter, options?: FindOptions): Promise<T[]> {
    const query = mongoFilter(validateFilter(filter));
    const valid = validateFindOptions(options);
    // limit 0 means no documents in the port, but no limit to MongoDB.
    if (query === null || valid.limit === 0) return [];
    let cursor = this.mongo.find(query, { sort: mongoSort(valid) });
    if (valid.skip !== undefined) cursor = cursor.skip(valid.skip);
    if (valid.limit !== undefined) cursor = cursor.limit(valid.limit);
    return (await cursor.toArray()) as T[];
  }

  async count(filter?: Filter): Promise<number> {
    const query = mongoFilter(validateFilter(filter));
    return query === null ? 0 : this.mongo.countDocuments(query);
  }

  async insert(doc: T): Promise<boolean> {
    const valid = this.stored(doc);
    return this.serialised(valid._id, async () => {
      try {
        await this.mongo.insertOne(valid);
        return true;
      } catch (error) {
        if ((await this.clashOf(error, valid)) === "_id") return false;
        throw error;
      }
    });
  }

  async getMany(ids: string[]): Promise<(T | null)[]> {
    const wanted = ids.map(validateId);
    if (wanted.length === 0) return [];
    const found = new Map<string, T>();
    for (const doc of await this.mongo.find({ _id: { $in: wanted } }).toArray()) found.set(doc._id, doc as T);
    return wanted.map((id) => found.get(id) ?? null);
  }

  async upsertGuarded(doc: T, guardField: string): Promise<boolean> {
    const valid = this.stored(doc);
    const guard = guardValue(valid, guardField, this.name);
    return this.serialised(valid._id, () => this.upsertGuardedHeld(valid, guardField, guard));
  }

  /**
   * One guarded upsert per document (the single-document path, atomic on MongoDB), in the order given.
   * Not one bulk write: against FerretDB 1.24 (SQLite backend) an unordered bulk write of a projection page
   * left the server hanging in the relay-crash test (docs/known-limits.md), and its per-operation error
   * indexes are wrong; the page still saves the reads and the writes of the events it merges per document.
   */
  async upsertGuardedMany(docs: T[], guardField: string): Promise<boolean[]> {
    const valid = validateMany(docs, guardField, this.name);
    const written: boolean[] = [];
    for (const { doc } of valid) written.push(await this.upsertGuarded(doc as T, guardField));
    return written;
  }

  /** The guarded upsert of one document whose lock the caller holds. */
  private async upsertGuardedHeld(valid: Document, guardField: string, guard: number): Promise<boolean> {
    const filter = { _id: valid._id, ...guardAllows(guardField, guard) };
    try {
      // One operation: the guard check and the write are atomic on MongoDB. When the guard fails
      // the upsert tries to insert and clashes on `_id`.
      await this.mongo.replaceOne(filter, valid, { upsert: true });
      return true;
    } catch (error) {
      if ((await this.clashOf(error, valid)) !== "_id") throw error;
    }
    // The clash may also have been a concurrent first insert of this `_id` by another writer, whose
    // guard may be lower than ours: replace only if the stored document still lets us.
    try {
      return (await this.mongo.replaceOne(filter, valid)).matchedCount === 1;
    } catch (error) {
      await this.clashOf(error, valid);
      throw error;
    }
  }

  async put(doc: T): Promise<void> {
    const valid = this.stored(doc);
    await this.serialised(valid._id, async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.mongo.replaceOne({ _id: valid._id }, valid, { upsert: true });
          return;
        } catch (error) {
          if ((await this.clashOf(error, valid)) !== "_id" || attempt === UPSERT_ATTEMPTS) throw error;
        }
      }
    });
  }

  async delete(id: string): Promise<boolean> {
    const valid = validateId(id);
    return this.serialised(
      valid,
      async () => (await this.mongo.deleteOne({ _id: valid })).deletedCount === 1,
    );
  }

  async deleteMany(filter: Filter): Promise<number> {
    const query = mongoFilter(validateFilter(filter));
    return query === null ? 0 : (await this.mongo.deleteMany(query)).deletedCount;
  }

  async ensureIndex(fields: string[], options?: { unique?: boolean }): Promise<void> {
    validateIndexFields(this.name, fields);
    const unique = options?.unique === true;
    const keys = Object.fromEntries(fields.map((field) => [field, 1]));
    try {
      // MongoDB's default name (`a_1_b_1`): createIndex with the same keys, options and name is a no-op.
      await this.mongo.createIndex(keys, unique ? { unique } : {});
    } catch (error) {
      const what = `collection ${this.name}: cannot create ${unique ? "a unique" : "an"} index on (${fields.join(", ")})`;
      if (isDuplicateKeyError(error)) {
        throw new Error(`${what}: stored documents already share a value`, { cause: error });
      }
      if (error instanceof MongoServerError && INDEX_CONFLICT_CODES.includes(error.code)) {
        throw new Error(`${what}: an index on these fields exists with other options (drop it first)`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  private get mongo(): MongoCollection<Document> {
    return this.host.collection(this.name);
  }

  private serialised<R>(id: string, write: () => Promise<R>): Promise<R> {
    return this.host.writes.run(`${this.name}\u0000${id}`, write);
  }

  /** Holds every id's lock (taken in the order given, sorted by the caller) while `write` runs. */
  private serialisedAll<R>(ids: string[], write: () => Promise<R>): Promise<R> {
    const [first, ...rest] = ids;
    return first === undefined ? write() : this.serialised(first, () => this.serialisedAll(rest, write));
  }

  /**
   * The document as SQLite's adapter would store it: through JSON, so `undefined` fields vanish, dates
   * become strings and class instances plain objects on both engines alike.
   */
  private stored(doc: T): Document {
    const valid = validateDocument(doc, this.name);
    try {
      return JSON.parse(JSON.stringify(valid)) as Document;
    } catch (error) {
      throw new TypeError(`collection ${this.name}: document ${JSON.stringify(valid._id)} is not JSON`, {
        cause: error,
      });
    }
  }

  /**
   * "_id" when the write clashed on the document's own `_id`; throws DuplicateKeyError when it broke a
   * unique index; returns nothing for any other error, which the caller rethrows.
   */
  private async clashOf(error: unknown, doc: Document): Promise<"_id" | undefined> {
    if (!isDuplicateKeyError(error)) return undefined;
    const clash = await identifyClash(this.mongo, doc, error);
    if (clash.on === "_id") return "_id";
    throw new DuplicateKeyError(this.name, clash.fields, doc._id);
  }
}
