/**
 * Translates validated filters and find options into MongoDB query documents with the semantics that
 * `sqliteQuery.ts` documents, so both adapters return the same documents in the same order:
 * - MongoDB's type bracketing already compares only values of the operand's type, `{ f: null }` already
 *   matches null and missing, and `$ne` already matches a missing field.
 * - `$gt`/`$lt` null (nothing) and `$gte`/`$lte` null (null or missing) are spelled out here, as SQLite's
 *   adapter does, rather than trusting every server's reading of a comparison with null; a filter that
 *   can match nothing skips the round trip.
 * - Sorting on a field that mixes types follows BSON order (null, numbers, strings, objects, arrays,
 *   booleans), which differs from SQLite's only for booleans, objects and arrays: do not sort on those.
 * - Unlike SQLite, a scalar condition also matches an array field holding that value; the port leaves
 *   array fields unspecified.
 */
import type { Filter, Sort } from "mongodb";
import type { Document } from "./documentStore.js";
import type { FilterTerm, ValidFindOptions } from "./queryValidation.js";

export type MongoFilter = Filter<Document>;

/** A term as a MongoDB clause, or null when it can match no document. */
function termClause(term: FilterTerm): MongoFilter | null {
  const { path } = term;
  switch (term.op) {
    case "$eq":
      return { [path]: { $eq: term.value } };
    case "$in":
      return term.value.length === 0 ? null : { [path]: { $in: term.value } };
    case "$ne":
      return { [path]: { $ne: term.value } };
    default:
      if (term.value === null)
        return term.op === "$gte" || term.op === "$lte" ? { [path]: { $eq: null } } : null;
      return { [path]: { [term.op]: term.value } };
  }
}

/** The MongoDB filter for validated terms, or null when no document can match (skip the round trip). */
export function mongoFilter(terms: FilterTerm[]): MongoFilter | null {
  const clauses: MongoFilter[] = [];
  for (const term of terms) {
    const clause = termClause(term);
    if (clause === null) return null;
    clauses.push(clause);
  }
  // $and keeps several conditions on one path apart without merging operator objects by hand.
  if (clauses.length === 0) return {};
  if (clauses.length === 1) return clauses[0] as MongoFilter;
  return { $and: clauses };
}

/** `_id` breaks ties in the sort's direction, as in SQLite, so pages never overlap. */
export function mongoSort(options: ValidFindOptions): Sort {
  const direction = options.sort?.direction === "desc" ? -1 : 1;
  const field = options.sort?.field ?? "_id";
  return field === "_id" ? { _id: direction } : { [field]: direction, _id: direction };
}

/**
 * The condition under which a guarded upsert may replace the stored document: unless its guard is a
 * number >= the new one. `$not` (rather than `$lt` or `$exists: false`) also lets a null or non-numeric
 * stored guard be replaced, as SQLite's `guardAllowsSql` does.
 */
export function guardAllows(guardField: string, guard: number): MongoFilter {
  return { [guardField]: { $not: { $gte: guard } } };
}
