/**
 * Works out what a MongoDB write clashed with: the `_id` (insert returns false, a guarded upsert was
 * rejected) or a unique index made by `ensureIndex` (the port's DuplicateKeyError naming its fields).
 *
 * MongoDB says so in the error (`keyPattern`). FerretDB 1.x does not: an insert that clashes answers a
 * bare "E11000 duplicate key error collection: db.coll", and an update that clashes answers an
 * InternalError carrying SQLite's "UNIQUE constraint failed: index '<table>_<hash>_<index name>'". So
 * the index is recovered from that text, or else by asking the server which constraint the document
 * now collides with.
 */
import { type Collection as MongoCollection, type Filter as MongoFilter, MongoServerError } from "mongodb";
import type { Document } from "./documentStore.js";

export type Clash = { on: "_id" } | { on: "index"; fields: string[] };

const DUPLICATE_KEY = 11000;
const SQLITE_UNIQUE = /UNIQUE constraint failed: index '([^']+)'/;

/** A write or index build that broke `_id` or a unique index, on MongoDB or FerretDB. */
export function isDuplicateKeyError(error: unknown): error is MongoServerError {
  return (
    error instanceof MongoServerError && (error.code === DUPLICATE_KEY || SQLITE_UNIQUE.test(error.message))
  );
}

interface IndexInfo {
  name: string;
  fields: string[];
  unique: boolean;
}

async function indexesOf(collection: MongoCollection<Document>): Promise<IndexInfo[]> {
  const specs = await collection.listIndexes().toArray();
  return specs.map((spec) => ({
    name: String(spec.name),
    fields: Object.keys((spec.key ?? {}) as Record<string, unknown>),
    unique: spec.unique === true,
  }));
}

function valueAt(doc: Document, path: string): unknown {
  let value: unknown = doc;
  for (const segment of path.split(".")) {
    value =
      typeof value === "object" && value !== null ? (value as Record<string, unknown>)[segment] : undefined;
  }
  // MongoDB indexes a missing field as null, and matches null for it.
  return value === undefined ? null : value;
}

async function clashingIndex(
  collection: MongoCollection<Document>,
  doc: Document,
  indexes: IndexInfo[],
): Promise<string[] | null> {
  for (const index of indexes) {
    if (!index.unique || index.name === "_id_") continue;
    const filter: MongoFilter<Document> = { _id: { $ne: doc._id } };
    for (const field of index.fields) filter[field] = { $eq: valueAt(doc, field) };
    if ((await collection.findOne(filter, { projection: { _id: 1 } })) !== null) return index.fields;
  }
  return null;
}

export async function identifyClash(
  collection: MongoCollection<Document>,
  doc: Document,
  error: MongoServerError,
): Promise<Clash> {
  const keyPattern: unknown = error.keyPattern ?? error.errorResponse.keyPattern;
  if (typeof keyPattern === "object" && keyPattern !== null) {
    const fields = Object.keys(keyPattern);
    return fields.length === 1 && fields[0] === "_id" ? { on: "_id" } : { on: "index", fields };
  }
  const indexes = await indexesOf(collection);
  const sqliteIndex = SQLITE_UNIQUE.exec(error.message)?.[1];
  if (sqliteIndex !== undefined) {
    const named = indexes.find((index) => sqliteIndex.endsWith(`_${index.name}`));
    if (named !== undefined)
      return named.name === "_id_" ? { on: "_id" } : { on: "index", fields: named.fields };
  }
  const fields = await clashingIndex(collection, doc, indexes);
  if (fields !== null) return { on: "index", fields };
  // No other document shares a unique value, so what clashed was the `_id` (or a clash that has gone).
  return { on: "_id" };
}
