import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import type { Collection } from "../../docstore/documentStore.js";
import { SqliteDocumentStore } from "../../docstore/sqliteDocumentStore.js";
import { type DataKeyDoc, DataKeyring } from "../dataKeyring.js";
import { MasterKey } from "../masterKey.js";

export interface KeyringFixture {
  /** A temporary folder, removed after the test file. */
  dir: string;
  keys: Collection<DataKeyDoc>;
  master: MasterKey;
  /** Uncached, so a destroyed key is seen at once. */
  keyring: DataKeyring;
}

/** A keyring over a SQLite document store in a temporary folder, closed and removed after the test file. */
export async function keyringFixture(prefix: string): Promise<KeyringFixture> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const documents = await SqliteDocumentStore.open(join(dir, "keys.sqlite"));
  after(async () => {
    await documents.close();
    await rm(dir, { recursive: true, force: true });
  });
  const keys = documents.collection<DataKeyDoc>("data_keys");
  const master = MasterKey.generate().key;
  return { dir, keys, master, keyring: new DataKeyring(keys, master, [], 0) };
}
