/** Prepared statements keyed by their SQL text, least recently used dropped first. */
import type Database from "better-sqlite3";
import type { SqlParam } from "./sqliteQuery.js";

/**
 * Bounded because the SQL text varies with the query's shape (an `$in` list of n values has n
 * placeholders), so an unbounded cache would grow with every distinct shape callers ever used.
 */
const DEFAULT_CAPACITY = 500;

export class StatementCache {
  // A Map iterates in insertion order; re-inserting on a hit keeps the least recently used first.
  private readonly entries = new Map<string, Database.Statement<SqlParam[]>>();

  constructor(
    private readonly prepare: (sql: string) => Database.Statement<SqlParam[]>,
    private readonly capacity = DEFAULT_CAPACITY,
  ) {}

  get(sql: string): Database.Statement<SqlParam[]> {
    const cached = this.entries.get(sql);
    if (cached !== undefined) {
      this.entries.delete(sql);
      this.entries.set(sql, cached);
      return cached;
    }
    const statement = this.prepare(sql);
    this.entries.set(sql, statement);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    return statement;
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
