/**
 * Translates validated filters and find options into SQLite SQL over a `(id, doc)` table whose `doc`
 * column holds the document as JSON text.
 *
 * Semantics, chosen to match MongoDB where the port's tests can observe them:
 * - A condition only matches values of the operand's JSON type: `{ n: { $gt: 5 } }` never matches the
 *   string "6", `{ flag: true }` never matches the number 1. json_extract alone would blur these (it
 *   turns true into 1 and orders every number before every string), hence the json_type guards.
 * - Numbers compare numerically; strings compare by their UTF-8 bytes (SQLite's BINARY collation,
 *   MongoDB's simple collation), which differs from JS `<` only for characters beyond U+FFFF.
 * - `{ f: null }` matches null and a missing field; `$ne` matches a missing field; `$gte`/`$lte` null
 *   behave like equality with null and `$gt`/`$lt` null match nothing.
 * - Array- or object-valued fields never match a scalar condition (MongoDB would look inside arrays;
 *   the port leaves that unspecified).
 * - Sorting orders missing/null first, then numbers, then strings (ascending). Booleans sort as 0/1
 *   among numbers here, unlike MongoDB: do not sort on fields that mix booleans with numbers.
 * Field paths reach the SQL only after validation (letters, digits, '_', '-'), as quoted JSON-path
 * literals: a literal, not a bound parameter, so the text matches `ensureIndex`'s expression index.
 */
import type { Scalar } from "./documentStore.js";
import type { ComparisonOperator, FilterTerm, ValidFindOptions } from "./queryValidation.js";
import { validateFieldPath } from "./queryValidation.js";

export type SqlParam = string | number | null;
export interface SqlFragment {
  sql: string;
  params: SqlParam[];
}

/** How to read a field in SQL: its value and, for JSON fields, its JSON type. */
interface FieldRef {
  value: string;
  /** null for the `id` column, which always holds text. */
  type: string | null;
}

type ValueKind = "number" | "string" | "boolean";
type Value = Exclude<Scalar, null>;

const SQL_OPERATORS: Record<Exclude<ComparisonOperator, "$eq" | "$ne">, string> = {
  $gt: ">",
  $gte: ">=",
  $lt: "<",
  $lte: "<=",
};

function jsonPath(path: string): string {
  return `$.${validateFieldPath(path)
    .map((segment) => `"${segment}"`)
    .join(".")}`;
}

function fieldRef(path: string): FieldRef {
  if (path === "_id") return { value: "id", type: null };
  const literal = `'${jsonPath(path)}'`;
  return { value: `json_extract(doc, ${literal})`, type: `json_type(doc, ${literal})` };
}

/** The expression used both to index a field and to query it; the planner needs the same text. */
export function fieldExpression(path: string): string {
  return fieldRef(path).value;
}

function kindOf(value: Value): ValueKind {
  return typeof value as ValueKind;
}

function param(value: Value): SqlParam {
  // better-sqlite3 cannot bind booleans; json_extract yields 1/0 for true/false.
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

function typeTest(ref: FieldRef, kind: ValueKind): string {
  if (ref.type === null) return kind === "string" ? "1" : "0";
  switch (kind) {
    case "number":
      return `${ref.type} IN ('integer', 'real')`;
    case "string":
      return `${ref.type} = 'text'`;
    case "boolean":
      return `${ref.type} IN ('true', 'false')`;
  }
}

function equals(ref: FieldRef, value: Scalar): SqlFragment {
  if (value === null) return { sql: `${ref.value} IS NULL`, params: [] };
  return { sql: `(${ref.value} = ? AND ${typeTest(ref, kindOf(value))})`, params: [param(value)] };
}

function compare(ref: FieldRef, op: keyof typeof SQL_OPERATORS, value: Scalar): SqlFragment {
  if (value === null) return op === "$gte" || op === "$lte" ? equals(ref, null) : { sql: "0", params: [] };
  return {
    sql: `(${ref.value} ${SQL_OPERATORS[op]} ? AND ${typeTest(ref, kindOf(value))})`,
    params: [param(value)],
  };
}

function within(ref: FieldRef, values: Scalar[]): SqlFragment {
  const parts: string[] = [];
  const params: SqlParam[] = [];
  if (values.includes(null)) parts.push(`${ref.value} IS NULL`);
  for (const kind of ["number", "string", "boolean"] as const) {
    const ofKind = values.filter((v): v is Value => v !== null && kindOf(v) === kind);
    if (ofKind.length === 0) continue;
    parts.push(`(${ref.value} IN (${ofKind.map(() => "?").join(", ")}) AND ${typeTest(ref, kind)})`);
    params.push(...ofKind.map(param));
  }
  return parts.length === 0 ? { sql: "0", params } : { sql: `(${parts.join(" OR ")})`, params };
}

function termSql(term: FilterTerm): SqlFragment {
  const ref = fieldRef(term.path);
  switch (term.op) {
    case "$in":
      return within(ref, term.value);
    case "$eq":
      return equals(ref, term.value);
    case "$ne": {
      // `IS NOT 1` rather than NOT(...): a missing field makes the equality NULL, and NOT NULL is NULL.
      const eq = equals(ref, term.value);
      return { sql: `(${eq.sql}) IS NOT 1`, params: eq.params };
    }
    default:
      return compare(ref, term.op, term.value);
  }
}

export function whereClause(terms: FilterTerm[]): SqlFragment {
  if (terms.length === 0) return { sql: "1", params: [] };
  const fragments = terms.map(termSql);
  return { sql: fragments.map((f) => f.sql).join(" AND "), params: fragments.flatMap((f) => f.params) };
}

/** ORDER BY plus LIMIT/OFFSET; `_id` breaks ties in the sort's direction so pages never overlap. */
export function orderAndPage(options: ValidFindOptions): SqlFragment {
  const direction = options.sort?.direction === "desc" ? "DESC" : "ASC";
  const field = options.sort?.field ?? "_id";
  const order =
    field === "_id" ? `id ${direction}` : `${fieldExpression(field)} ${direction}, id ${direction}`;
  return { sql: `ORDER BY ${order} LIMIT ? OFFSET ?`, params: [options.limit ?? -1, options.skip ?? 0] };
}

/** A guarded upsert may replace the stored document unless its numeric guard is already >= `?`. */
export function guardAllowsSql(guardField: string): string {
  const ref = fieldRef(guardField);
  if (ref.type === null) throw new TypeError("the guard field cannot be _id");
  return `(${typeTest(ref, "number")} AND ${ref.value} >= ?) IS NOT 1`;
}
