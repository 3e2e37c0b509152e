/** The document-store port for read models: collections of JSON documents keyed by `_id`. */

export interface Document {
  _id: string;
  [field: string]: unknown;
}

export type Scalar = string | number | boolean | null;
export interface FieldCondition {
  $eq?: Scalar;
  $ne?: Scalar;
  $gt?: Scalar;
  $gte?: Scalar;
  $lt?: Scalar;
  $lte?: Scalar;
  $in?: Scalar[];
}
/** Top-level (dot paths allowed) field → value (equality) or condition. All terms must hold. */
export type Filter = Record<string, Scalar | FieldCondition>;

export interface FindOptions {
  /** Field (dot path allowed) and direction; `_id` breaks ties in the same direction. */
  sort?: { field: string; direction: "asc" | "desc" };
  limit?: number;
  skip?: number;
}

export interface Collection<T extends Document = Document> {
  get(id: string): Promise<T | null>;
  find(filter?: Filter, options?: FindOptions): Promise<T[]>;
  count(filter?: Filter): Promise<number>;
  /** Insert; false (and nothing written) when `_id` exists. */
  insert(doc: T): Promise<boolean>;
  /**
   * Replace or insert `doc` unless the stored document's numeric `guardField` is >= the new one's.
   * Returns false when the guard rejected the write (an older or repeated update): this is how
   * projections stay idempotent under at-least-once delivery.
   */
  upsertGuarded(doc: T, guardField: string): Promise<boolean>;
  /** The stored documents of these ids, in the order asked, null where one is missing: one round trip. */
  getMany(ids: string[]): Promise<(T | null)[]>;
  /**
   * `upsertGuarded` of each document in one round trip (SQLite: one transaction; MongoDB: one unordered
   * bulk write, atomic per document only); says per document whether its guard let it through. Every
   * document is validated before anything is written; an id may appear only once.
   */
  upsertGuardedMany(docs: T[], guardField: string): Promise<boolean[]>;
  /** Unconditional replace-or-insert. */
  put(doc: T): Promise<void>;
  delete(id: string): Promise<boolean>;
  deleteMany(filter: Filter): Promise<number>;
  ensureIndex(fields: string[], options?: { unique?: boolean }): Promise<void>;
}

export interface DocumentStore {
  collection<T extends Document = Document>(name: string): Collection<T>;
  /** Drop every collection whose name starts with the prefix (used by projection rebuilds). */
  dropCollections(prefix: string): Promise<void>;
  /**
   * Makes deletions so far physical where the engine allows it: SQLite (secure_delete already zeroes
   * freed content) copies its WAL into the file and truncates it, so no older version of a deleted row is
   * left in the log. MongoDB: nothing (deleted data is left to the engine's encryption at rest).
   */
  flushDeletions(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A write broke a unique index made by `ensureIndex(fields, { unique: true })`. Part of the port so
 * callers can react to it without importing a concrete adapter.
 */
export class DuplicateKeyError extends Error {
  override readonly name = "DuplicateKeyError";
  constructor(
    readonly collection: string,
    readonly fields: string[],
    readonly id: string,
  ) {
    super(
      `duplicate key in collection ${collection}: document ${JSON.stringify(id)} has the same ` +
        `(${fields.join(", ")}) as a stored document, and that index is unique`,
    );
  }
}
