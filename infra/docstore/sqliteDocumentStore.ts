/** The embedded read-model store: one SQLite file, one `(id, doc)` table per collection. */
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { Collection, Document, DocumentStore } from "./documentStore.js";
import { validateCollectionName, validateCollectionPrefix } from "./queryValidation.js";
import { SqliteCollection, type SqliteCollectionHost } from "./sqliteCollection.js";
import type { SqlParam } from "./sqliteQuery.js";
import { StatementCache } from "./sqliteStatementCache.js";

export interface SqliteDocumentStoreOptions {
  /** How long a writer waits for another connection's write lock before failing with SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
/**
 * Tables carry a prefix so a collection can never be named like SQLite's own tables, and so that
 * `dropCollections` can tell collection tables from anything else kept in the same file.
 */
const TABLE_PREFIX = "c_";

function tableName(collection: string): string {
  return `${TABLE_PREFIX}${validateCollectionName(collection)}`;
}

export class SqliteDocumentStore implements DocumentStore {
  private readonly statements: StatementCache;
  /** Tables known to exist, so the hot path skips `CREATE TABLE IF NOT EXISTS`. */
  private readonly knownTables = new Set<string>();
  private readonly host: SqliteCollectionHost = {
    table: (collection) => this.table(collection),
    statement: (sql) => this.statement(sql),
    exec: (sql) => this.exec(sql),
    transaction: (work) => {
      this.assertOpen();
      return this.db.transaction(work)();
    },
  };
  private closed = false;

  private constructor(
    private readonly db: Database.Database,
    private readonly filePath: string,
  ) {
    this.statements = new StatementCache((sql) => db.prepare<SqlParam[]>(sql));
  }

  /** Opens (creating if needed) the store file and its parent directory. */
  static async open(
    filePath: string,
    options: SqliteDocumentStoreOptions = {},
  ): Promise<SqliteDocumentStore> {
    await mkdir(dirname(filePath), { recursive: true });
    const db = new Database(filePath, { timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
    try {
      // WAL lets API readers query while a projection writes, from this or another process.
      const mode = db.pragma("journal_mode = WAL", { simple: true });
      if (mode !== "wal") {
        throw new Error(
          `document store ${filePath}: could not enable WAL journal mode (got ${String(mode)})`,
        );
      }
      // NORMAL may lose the last commits on power loss but never corrupts the file. Read models are
      // rebuilt from the event store, so losing a tail only means replaying it; the fsync per write
      // that FULL costs is not worth it here (unlike the event store itself).
      db.pragma("synchronous = NORMAL");
      // Deleted and overwritten rows (a deleted clone's name, a destroyed data key) are zeroed, not left
      // readable in free pages of the file.
      db.pragma("secure_delete = ON");
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqliteDocumentStore(db, filePath);
  }

  collection<T extends Document = Document>(name: string): Collection<T> {
    // Validated here as well as on every use, so a bad name fails where it was written.
    return new SqliteCollection<T>(this.host, validateCollectionName(name));
  }

  async dropCollections(prefix: string): Promise<void> {
    const valid = validateCollectionPrefix(prefix);
    this.assertOpen();
    // Filtered in JS rather than with LIKE, where `_` in a prefix would be a wildcard.
    const tables = this.db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((row) => row.name)
      .filter((name) => name.startsWith(`${TABLE_PREFIX}${valid}`));
    // DROP TABLE also drops the table's indexes; one transaction so a rebuild never sees half the drop.
    this.db.transaction(() => {
      for (const table of tables) this.db.exec(`DROP TABLE IF EXISTS "${table}"`);
    })();
    for (const table of tables) this.knownTables.delete(table);
    // Statements prepared against a dropped table must not be reused, even if the table comes back.
    this.statements.clear();
  }

  async flushDeletions(): Promise<void> {
    this.assertOpen();
    // TRUNCATE waits (busy timeout) for readers of older snapshots, then empties the WAL. When another
    // process keeps reading it reports busy instead: the next checkpoint (or the last close) finishes it.
    this.db.pragma("wal_checkpoint(TRUNCATE)");
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.statements.clear();
    this.db.close();
  }

  private table(collection: string): string {
    this.assertOpen();
    const name = tableName(collection);
    if (!this.knownTables.has(name)) {
      this.db.exec(`CREATE TABLE IF NOT EXISTS "${name}" (id TEXT PRIMARY KEY NOT NULL, doc TEXT NOT NULL)`);
      this.knownTables.add(name);
    }
    return `"${name}"`;
  }

  private statement(sql: string): Database.Statement<SqlParam[]> {
    this.assertOpen();
    return this.statements.get(sql);
  }

  private exec(sql: string): void {
    this.assertOpen();
    this.db.exec(sql);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`document store ${this.filePath} is closed`);
  }
}
