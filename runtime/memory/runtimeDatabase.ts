/**
 * The runtime's own SQLite file (`<dataDir>/runtime.sqlite`, WAL): conversations, their turns, the owner's
 * corrections of drafts and the plugins' key-value storage. One file, so a copy of the data folder is a complete backup.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";

export type RuntimeDatabase = Database.Database;

/** Each entry moves the schema one version up; `PRAGMA user_version` records how far a file is. */
const MIGRATIONS: string[] = [
  `CREATE TABLE conversations (
     channel TEXT NOT NULL,
     conversation_id TEXT NOT NULL,
     partner_id TEXT NOT NULL,
     partner_name TEXT NOT NULL,
     title TEXT NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     PRIMARY KEY (channel, conversation_id)
   ) WITHOUT ROWID;
   CREATE INDEX conversations_by_update ON conversations (channel, updated_at DESC);
   CREATE TABLE turns (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     channel TEXT NOT NULL,
     conversation_id TEXT NOT NULL,
     role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
     content TEXT NOT NULL,
     created_at TEXT NOT NULL,
     FOREIGN KEY (channel, conversation_id) REFERENCES conversations (channel, conversation_id) ON DELETE CASCADE
   );
   CREATE INDEX turns_by_conversation ON turns (channel, conversation_id, id);
   CREATE TABLE plugin_storage (
     plugin TEXT NOT NULL,
     key TEXT NOT NULL,
     value TEXT NOT NULL,
     PRIMARY KEY (plugin, key)
   ) WITHOUT ROWID;`,
  // The owner's corrections (runtime/corrections): the draft, the owner's text and the turns before it (JSON).
  `CREATE TABLE corrections (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     channel TEXT NOT NULL,
     conversation_id TEXT NOT NULL,
     context TEXT NOT NULL,
     draft TEXT NOT NULL,
     owner_text TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE INDEX corrections_by_conversation ON corrections (channel, conversation_id);`,
];

export function openRuntimeDatabase(path: string): RuntimeDatabase {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > MIGRATIONS.length)
    throw new Error(
      `${path} was written by a newer runtime (schema ${version}, this one knows ${MIGRATIONS.length})`,
    );
  db.transaction(() => {
    for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v] as string);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  })();
  return db;
}
