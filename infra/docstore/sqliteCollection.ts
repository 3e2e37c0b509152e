/** One collection of a SQLite document store: a `(id, doc)` table, documents stored as JSON text. */
import Database from "better-sqlite3";
import type { Collection, Document, Filter, FindOptions } from "./documentStore.js";
import { DuplicateKeyError } from "./documentStore.js";
import {
  guardValue,
  validateDocument,
  validateFilter,
  validateFindOptions,
  validateIndexFields,
  validateMany,
} from "./queryValidation.js";
import { fieldExpression, guardAllowsSql, orderAndPage, type SqlParam, whereClause } from "./sqliteQuery.js";

/** What a collection needs from its store; kept narrow so the store owns the connection and caches. */
export interface SqliteCollectionHost {
  /** Creates the collection's table when missing (it may have been dropped since) and returns its quoted name. */
  table(collection: string): string;
  /** A cached prepared statement. */
  statement(sql: string): Database.Statement<SqlParam[]>;
  exec(sql: string): void;
  /** Runs `work` in one transaction (one commit for many writes). */
  transaction<R>(work: () => R): R;
}

const INDEX_NAME_PREFIX = "ix";

/** Index names carry their fields so a unique violation can say which fields clashed, even after a reopen. */
function indexName(collection: string, fields: string[], unique: boolean): string {
  return [INDEX_NAME_PREFIX, collection, unique ? "unique" : "plain", fields.join(",")].join(":");
}

function fieldsOfIndex(name: string): string[] {
  const [prefix, , , fields] = name.split(":");
  return prefix === INDEX_NAME_PREFIX && fields !== undefined ? fields.split(",") : [];
}

function isUniqueViolation(error: unknown): error is Error & { code: string } {
  return error instanceof Database.SqliteError && error.code === "SQLITE_CONSTRAINT_UNIQUE";
}

function validateId(id: unknown): string {
  if (typeof id !== "string") throw new TypeError(`document id: expected a string, got ${typeof id}`);
  return id;
}

function serialise(doc: Document, collection: string): string {
  try {
    return JSON.stringify(doc);
  } catch (error) {
    throw new TypeError(`collection ${collection}: document ${JSON.stringify(doc._id)} is not JSON`, {
      cause: error,
    });
  }
}

export class SqliteCollection<T extends Document> implements Collection<T> {
  constructor(
    private readonly host: SqliteCollectionHost,
    readonly name: string,
  ) {}

  async get(id: string): Promise<T | null> {
    const row = this.run(`SELECT doc FROM ${this.table} WHERE id = ?`).get(validateId(id));
    return row === undefined ? null : this.parse(row);
  }

  async find(filter?: Filter, options?: FindOptions): Promise<T[]> {
    const where = whereClause(validateFilter(filter));
    const page = orderAndPage(validateFindOptions(options));
    const rows = this.run(`SELECT doc FROM ${this.table} WHERE ${where.sql} ${page.sql}`).all(
      ...where.params,
      ...page.params,
    );
    return rows.map((row) => this.parse(row));
  }

  async getMany(ids: string[]): Promise<(T | null)[]> {
    const wanted = ids.map(validateId);
    if (wanted.length === 0) return [];
    const found = new Map<string, T>();
    // json_each takes the ids as one parameter, so one cached statement serves every page size.
    const sql = `SELECT id, doc FROM ${this.table} WHERE id IN (SELECT value FROM json_each(?))`;
    for (const row of this.run(sql).all(JSON.stringify(wanted)) as { id: string; doc: string }[])
      found.set(row.id, this.parse(row));
    return wanted.map((id) => found.get(id) ?? null);
  }

  async count(filter?: Filter): Promise<number> {
    const where = whereClause(validateFilter(filter));
    const row = this.run(`SELECT COUNT(*) AS n FROM ${this.table} WHERE ${where.sql}`).get(...where.params);
    return (row as { n: number }).n;
  }

  async insert(doc: T): Promise<boolean> {
    const valid = validateDocument(doc, this.name);
    // ON CONFLICT(id) rather than INSERT OR IGNORE: the latter would also swallow unique-index violations.
    const sql = `INSERT INTO ${this.table} (id, doc) VALUES (?, ?) ON CONFLICT(id) DO NOTHING`;
    return this.write(valid._id, () => this.run(sql).run(valid._id, serialise(valid, this.name))) === 1;
  }

  async upsertGuarded(doc: T, guardField: string): Promise<boolean> {
    const valid = validateDocument(doc, this.name);
    const guard = guardValue(valid, guardField, this.name);
    // One statement, so the check and the write are atomic even against other connections.
    const sql =
      `INSERT INTO ${this.table} (id, doc) VALUES (?, ?) ` +
      `ON CONFLICT(id) DO UPDATE SET doc = excluded.doc WHERE ${guardAllowsSql(guardField)}`;
    const changes = this.write(valid._id, () =>
      this.run(sql).run(valid._id, serialise(valid, this.name), guard),
    );
    return changes === 1;
  }

  async upsertGuardedMany(docs: T[], guardField: string): Promise<boolean[]> {
    const rows = validateMany(docs, guardField, this.name).map(({ doc, guard }) => ({
      id: doc._id,
      params: [doc._id, serialise(doc, this.name), guard] as SqlParam[],
    }));
    if (rows.length === 0) return [];
    const sql =
      `INSERT INTO ${this.table} (id, doc) VALUES (?, ?) ` +
      `ON CONFLICT(id) DO UPDATE SET doc = excluded.doc WHERE ${guardAllowsSql(guardField)}`;
    const statement = this.run(sql);
    // One transaction: one commit for the page, and a unique-index clash leaves none of it written.
    return this.host.transaction(() =>
      rows.map(({ id, params }) => this.write(id, () => statement.run(...params)) === 1),
    );
  }

  async put(doc: T): Promise<void> {
    const valid = validateDocument(doc, this.name);
    // Not INSERT OR REPLACE: that would silently delete other documents that clash on a unique index.
    const sql = `INSERT INTO ${this.table} (id, doc) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc`;
    this.write(valid._id, () => this.run(sql).run(valid._id, serialise(valid, this.name)));
  }

  async delete(id: string): Promise<boolean> {
    return this.run(`DELETE FROM ${this.table} WHERE id = ?`).run(validateId(id)).changes === 1;
  }

  async deleteMany(filter: Filter): Promise<number> {
    const where = whereClause(validateFilter(filter));
    return this.run(`DELETE FROM ${this.table} WHERE ${where.sql}`).run(...where.params).changes;
  }

  async ensureIndex(fields: string[], options?: { unique?: boolean }): Promise<void> {
    validateIndexFields(this.name, fields);
    const unique = options?.unique === true;
    const name = indexName(this.name, fields, unique);
    const sql =
      `CREATE ${unique ? "UNIQUE " : ""}INDEX IF NOT EXISTS "${name}" ` +
      `ON ${this.table} (${fields.map(fieldExpression).join(", ")})`;
    try {
      this.host.exec(sql);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new Error(
        `collection ${this.name}: cannot create a unique index on (${fields.join(", ")}): ` +
          "stored documents already share a value",
        { cause: error },
      );
    }
  }

  private get table(): string {
    return this.host.table(this.name);
  }

  private run(sql: string): Database.Statement<SqlParam[]> {
    return this.host.statement(sql);
  }

  private write(id: string, statement: () => Database.RunResult): number {
    try {
      return statement().changes;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const index = /index '([^']+)'/.exec(error.message)?.[1] ?? "";
      throw new DuplicateKeyError(this.name, fieldsOfIndex(index), id);
    }
  }

  private parse(row: unknown): T {
    return JSON.parse((row as { doc: string }).doc) as T;
  }
}
