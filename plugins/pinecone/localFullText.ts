/**
 * The local half of the pinecone plugin: an SQLite file in the plugin's data folder with the chunks' text under
 * an FTS5 index (unicode61 folds case for Cyrillic as for Latin; "ё" is folded to "е" here, which unicode61
 * does not do), the manifest of indexed files and the settings the index was built with. Pinecone holds the
 * vectors; this file holds what a full-text ranking and an incremental re-index need.
 */
import Database from "better-sqlite3";

export interface LocalChunk {
  vectorId: string;
  chunkId: string;
  path: string;
  locator: string | null;
  text: string;
}

export interface IndexedFile {
  sha256: string;
  chunks: number;
}

const fold = (text: string) => text.normalize("NFC").replace(/ё/g, "е").replace(/Ё/g, "Е");

/** An FTS5 query that matches any of the words, each quoted, so no user input is read as FTS5 syntax. */
export function fullTextQuery(text: string): string | null {
  const words = fold(text).match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.length === 0 ? null : words.map((word) => `"${word}"`).join(" OR ");
}

export class LocalFullText {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, chunks INTEGER NOT NULL);
      CREATE VIRTUAL TABLE IF NOT EXISTS chunks USING fts5(
        vector_id UNINDEXED, chunk_id UNINDEXED, path UNINDEXED, locator UNINDEXED, text UNINDEXED, search_text,
        tokenize = 'unicode61 remove_diacritics 2'
      );
    `);
  }

  setting(key: string): string | undefined {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as
      | { value: string }
      | undefined;
    return row?.value;
  }

  /** Forgets every file and chunk and records the new settings (a rebuild). */
  reset(settings: Record<string, string>): void {
    this.db.transaction(() => {
      this.db.exec("DELETE FROM files; DELETE FROM chunks; DELETE FROM meta;");
      const insert = this.db.prepare("INSERT INTO meta (key, value) VALUES (?, ?)");
      for (const [key, value] of Object.entries(settings)) insert.run(key, value);
    })();
  }

  files(): Record<string, IndexedFile> {
    const rows = this.db.prepare("SELECT path, sha256, chunks FROM files").all() as ({
      path: string;
    } & IndexedFile)[];
    return Object.fromEntries(rows.map(({ path, sha256, chunks }) => [path, { sha256, chunks }]));
  }

  /** Replaces a file's chunks and its manifest entry in one transaction. */
  replaceFile(path: string, sha256: string, chunks: LocalChunk[]): void {
    this.db.transaction(() => {
      this.db.prepare("DELETE FROM chunks WHERE path = ?").run(path);
      const insert = this.db.prepare(
        "INSERT INTO chunks (vector_id, chunk_id, path, locator, text, search_text) VALUES (?, ?, ?, ?, ?, ?)",
      );
      for (const c of chunks) insert.run(c.vectorId, c.chunkId, c.path, c.locator, c.text, fold(c.text));
      this.db
        .prepare(
          "INSERT INTO files (path, sha256, chunks) VALUES (?, ?, ?) ON CONFLICT(path) DO UPDATE SET sha256 = excluded.sha256, chunks = excluded.chunks",
        )
        .run(path, sha256, chunks.length);
    })();
  }

  removeFile(path: string): void {
    this.db.transaction(() => {
      this.db.prepare("DELETE FROM chunks WHERE path = ?").run(path);
      this.db.prepare("DELETE FROM files WHERE path = ?").run(path);
    })();
  }

  /** Best first (BM25). */
  search(text: string, limit: number): LocalChunk[] {
    const query = fullTextQuery(text);
    if (query === null) return [];
    const rows = this.db
      .prepare(
        "SELECT vector_id, chunk_id, path, locator, text FROM chunks WHERE chunks MATCH ? ORDER BY rank LIMIT ?",
      )
      .all(query, limit) as {
      vector_id: string;
      chunk_id: string;
      path: string;
      locator: string | null;
      text: string;
    }[];
    return rows.map((r) => ({
      vectorId: r.vector_id,
      chunkId: r.chunk_id,
      path: r.path,
      locator: r.locator,
      text: r.text,
    }));
  }

  close(): void {
    this.db.close();
  }
}
