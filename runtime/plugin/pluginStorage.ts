/** Each plugin's private key → JSON store, a namespace in the runtime's SQLite file. */

import type { PluginStorage } from "@aiclone/plugin-sdk";
import type { RuntimeDatabase } from "../memory/runtimeDatabase.js";

export class SqlitePluginStorage implements PluginStorage {
  constructor(
    private readonly db: RuntimeDatabase,
    private readonly plugin: string,
  ) {}

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const row = this.db
      .prepare("SELECT value FROM plugin_storage WHERE plugin = ? AND key = ?")
      .get(this.plugin, key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  async set(key: string, value: unknown): Promise<void> {
    const json = JSON.stringify(value);
    if (json === undefined)
      throw new TypeError(`storage.set('${key}'): the value is not JSON (use delete to remove)`);
    this.db
      .prepare(
        "INSERT INTO plugin_storage (plugin, key, value) VALUES (?, ?, ?) ON CONFLICT (plugin, key) DO UPDATE SET value = excluded.value",
      )
      .run(this.plugin, key, json);
  }

  async delete(key: string): Promise<void> {
    this.db.prepare("DELETE FROM plugin_storage WHERE plugin = ? AND key = ?").run(this.plugin, key);
  }

  async keys(prefix = ""): Promise<string[]> {
    // substr compare instead of LIKE: a prefix may contain % or _.
    const rows = this.db
      .prepare(
        "SELECT key FROM plugin_storage WHERE plugin = ? AND substr(key, 1, length(?)) = ? ORDER BY key",
      )
      .all(this.plugin, prefix, prefix) as { key: string }[];
    return rows.map((row) => row.key);
  }
}
