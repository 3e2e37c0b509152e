/**
 * Adapter-neutral checks of what callers hand to a document store: collection names, field paths,
 * filters, find options and documents. Every adapter runs these first, so a query that one engine
 * would accept and another reject (`$regex`, a nested object as a value) fails the same way everywhere.
 */
import type { Document, Filter, FindOptions, Scalar } from "./documentStore.js";

const COLLECTION_NAME = /^[A-Za-z0-9_-]{1,100}$/;
// Kept narrow on purpose: adapters embed validated paths in engine syntax (SQL JSON paths, index
// names), so a path must not be able to carry quotes, brackets, `$` operators or array indices.
const PATH_SEGMENT = /^[A-Za-z0-9_-]{1,100}$/;
const MAX_PATH_SEGMENTS = 16;

export type ComparisonOperator = "$eq" | "$ne" | "$gt" | "$gte" | "$lt" | "$lte";
export type FilterTerm =
  | { path: string; op: ComparisonOperator; value: Scalar }
  | { path: string; op: "$in"; value: Scalar[] };

const COMPARISON_OPERATORS: readonly string[] = ["$eq", "$ne", "$gt", "$gte", "$lt", "$lte"];

export function validateCollectionName(name: unknown): string {
  if (typeof name !== "string" || !COLLECTION_NAME.test(name)) {
    throw new TypeError(
      `invalid collection name ${JSON.stringify(name)}: use 1-100 letters, digits, '_' or '-'`,
    );
  }
  return name;
}

/** A collection-name prefix for `dropCollections`; empty is refused so a bug cannot drop everything. */
export function validateCollectionPrefix(prefix: unknown): string {
  if (typeof prefix !== "string" || !COLLECTION_NAME.test(prefix)) {
    throw new TypeError(
      `invalid collection prefix ${JSON.stringify(prefix)}: use 1-100 letters, digits, '_' or '-'`,
    );
  }
  return prefix;
}

/** Returns the path's segments. `_id` may only appear as the whole path. */
export function validateFieldPath(path: unknown, where = "field path"): string[] {
  if (typeof path !== "string") throw new TypeError(`${where}: expected a string, got ${typeof path}`);
  const segments = path.split(".");
  const bad =
    segments.length > MAX_PATH_SEGMENTS ||
    segments.some((s) => !PATH_SEGMENT.test(s)) ||
    (segments.length > 1 && segments[0] === "_id");
  if (bad) {
    throw new TypeError(
      `${where} ${JSON.stringify(path)} is invalid: use dot-separated names of letters, digits, '_' or '-'`,
    );
  }
  return segments;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function validateScalar(value: unknown, where: string): Scalar {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`${where}: numbers must be finite, got ${value}`);
    return value;
  }
  throw new TypeError(
    `${where}: expected a string, finite number, boolean or null, got ${Array.isArray(value) ? "an array" : typeof value}`,
  );
}

function conditionTerms(path: string, condition: Record<string, unknown>): FilterTerm[] {
  const operators = Object.keys(condition);
  if (operators.length === 0) throw new TypeError(`filter on ${path}: empty condition object`);
  return operators.map((op): FilterTerm => {
    const where = `filter on ${path}, ${op}`;
    const operand = condition[op];
    if (op === "$in") {
      if (!Array.isArray(operand)) throw new TypeError(`${where}: expected an array`);
      return { path, op, value: operand.map((v, i) => validateScalar(v, `${where}[${i}]`)) };
    }
    if (!COMPARISON_OPERATORS.includes(op)) {
      throw new TypeError(`filter on ${path}: unsupported operator ${JSON.stringify(op)}`);
    }
    return { path, op: op as ComparisonOperator, value: validateScalar(operand, where) };
  });
}

/** Normalises a filter to a flat list of terms that must all hold; equality shorthand becomes `$eq`. */
export function validateFilter(filter: Filter | undefined): FilterTerm[] {
  if (filter === undefined) return [];
  if (!isPlainObject(filter)) throw new TypeError("filter: expected a plain object");
  const terms: FilterTerm[] = [];
  for (const [path, condition] of Object.entries(filter)) {
    validateFieldPath(path, "filter field");
    if (isPlainObject(condition)) terms.push(...conditionTerms(path, condition));
    else terms.push({ path, op: "$eq", value: validateScalar(condition, `filter on ${path}`) });
  }
  return terms;
}

function validateCount(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(`find option ${name}: expected a non-negative integer, got ${String(value)}`);
  }
  return value;
}

export interface ValidFindOptions {
  sort?: { field: string; direction: "asc" | "desc" };
  /** 0 means no documents (unlike MongoDB's cursor.limit(0), which means no limit). */
  limit?: number;
  skip?: number;
}

export function validateFindOptions(options: FindOptions | undefined): ValidFindOptions {
  if (options === undefined) return {};
  const valid: ValidFindOptions = {};
  if (options.sort !== undefined) {
    const { field, direction } = options.sort;
    validateFieldPath(field, "sort field");
    if (direction !== "asc" && direction !== "desc") {
      throw new TypeError(`sort direction: expected "asc" or "desc", got ${JSON.stringify(direction)}`);
    }
    valid.sort = { field, direction };
  }
  const limit = validateCount(options.limit, "limit");
  if (limit !== undefined) valid.limit = limit;
  const skip = validateCount(options.skip, "skip");
  if (skip !== undefined) valid.skip = skip;
  return valid;
}

export function validateDocument(doc: unknown, collection: string): Document {
  if (!isPlainObject(doc)) throw new TypeError(`collection ${collection}: a document must be a plain object`);
  const id = doc._id;
  if (typeof id !== "string" || id.length === 0) {
    throw new TypeError(`collection ${collection}: a document needs a non-empty string _id`);
  }
  return doc as Document;
}

/** The numeric value a guarded upsert compares; it must be present on the new document. */
export function guardValue(doc: Document, guardField: string, collection: string): number {
  const segments = validateFieldPath(guardField, "guard field");
  let value: unknown = doc;
  for (const segment of segments) value = isPlainObject(value) ? value[segment] : undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new TypeError(
      `collection ${collection}: document ${JSON.stringify(doc._id)} needs a finite number at guard field ${guardField}`,
    );
  }
  return value;
}

/** The fields of an `ensureIndex` call: at least one, each a valid path, none twice. */
export function validateIndexFields(collection: string, fields: unknown): asserts fields is string[] {
  if (!Array.isArray(fields) || fields.length === 0) {
    throw new TypeError(`collection ${collection}: ensureIndex needs at least one field`);
  }
  for (const field of fields) validateFieldPath(field, "index field");
  if (new Set(fields).size !== fields.length) {
    throw new TypeError(`collection ${collection}: ensureIndex got a field twice: ${fields.join(", ")}`);
  }
}

/** A bulk guarded upsert's documents with their guards, all checked before any is written; ids distinct. */
export function validateMany(
  docs: unknown,
  guardField: string,
  collection: string,
): { doc: Document; guard: number }[] {
  if (!Array.isArray(docs)) throw new TypeError(`collection ${collection}: expected an array of documents`);
  const seen = new Set<string>();
  return docs.map((candidate) => {
    const doc = validateDocument(candidate, collection);
    if (seen.has(doc._id))
      throw new TypeError(
        `collection ${collection}: document ${JSON.stringify(doc._id)} appears more than once in one bulk write`,
      );
    seen.add(doc._id);
    return { doc, guard: guardValue(doc, guardField, collection) };
  });
}
