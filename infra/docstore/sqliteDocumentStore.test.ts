import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { SqliteDocumentStore } from "./sqliteDocumentStore.js";
import { documentStoreContract } from "./test/documentStoreContract.js";

const dir = await mkdtemp(join(tmpdir(), "docstore-"));
after(() => rm(dir, { recursive: true, force: true }));

const contractFile = join(dir, "contract", "read-models.sqlite");
documentStoreContract("sqlite", async () => {
  const store = await SqliteDocumentStore.open(contractFile);
  return { store, cleanup: () => store.close() };
});

describe("sqlite document store", () => {
  it("leaves no deleted document in the file or its WAL once deletions are flushed (still open)", async () => {
    const file = join(dir, "shred.sqlite");
    const store = await SqliteDocumentStore.open(file);
    const clones = store.collection("clones");
    for (let i = 0; i < 50; i++)
      await clones.insert({ _id: `k${i}`, name: `Клон Зинаиды ${i}`, pad: "x".repeat(200) });
    await clones.insert({ _id: "keep", name: "Другой клон" });
    await clones.deleteMany({ _id: { $ne: "keep" } });
    await store.flushDeletions();
    const bytes = async (path: string) => readFile(path).catch(() => Buffer.alloc(0));
    const held = Buffer.concat([await bytes(file), await bytes(`${file}-wal`)]);
    assert.equal(held.includes(Buffer.from("Клон Зинаиды")), false, "a deleted name is still in the bytes");
    assert.ok(held.includes(Buffer.from("Другой клон")), "the kept document is there");
    await store.close();
  });

  it("creates the file's parent directories and uses WAL", async () => {
    const file = join(dir, "deep", "er", "store.sqlite");
    const store = await SqliteDocumentStore.open(file);
    await store.collection("c").insert({ _id: "a" });
    await store.close();
    const db = new Database(file, { readonly: true });
    try {
      assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
    } finally {
      db.close();
    }
  });

  it("keeps every collection, document and index after close and reopen", async () => {
    const file = join(dir, "durable.sqlite");
    const first = await SqliteDocumentStore.open(file);
    const people = first.collection("people");
    await people.ensureIndex(["email"], { unique: true });
    for (let i = 0; i < 100; i++) await people.insert({ _id: `p${i}`, email: `p${i}@example.com`, n: i });
    await first.collection("other").put({ _id: "x", text: "Ґанок 🏠" });
    await first.close();

    const second = await SqliteDocumentStore.open(file);
    try {
      assert.equal(await second.collection("people").count(), 100);
      assert.equal(await second.collection("people").count({ n: { $gte: 90 } }), 10);
      assert.deepEqual(await second.collection("other").get("x"), { _id: "x", text: "Ґанок 🏠" });
      await assert.rejects(second.collection("people").insert({ _id: "dup", email: "p1@example.com" }), {
        name: "DuplicateKeyError",
      });
    } finally {
      await second.close();
    }
  });

  it("drops a collection's indexes with it and recreates the table on next use", async () => {
    const file = join(dir, "drop.sqlite");
    const store = await SqliteDocumentStore.open(file);
    const views = store.collection("proj_views");
    await views.ensureIndex(["slug"], { unique: true });
    await views.insert({ _id: "a", slug: "s" });
    // Warm the statement cache, so a stale statement would be reused after the drop if not invalidated.
    assert.equal(await views.count({ slug: "s" }), 1);
    await store.collection("projections_kept").insert({ _id: "k" });
    await store.dropCollections("proj_");
    const inspect = new Database(file, { readonly: true });
    try {
      const names = inspect
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")
        .all()
        .map((row) => row.name);
      assert.ok(!names.some((n) => n.includes("proj_views")), names.join(", "));
      assert.ok(names.includes("c_projections_kept"), names.join(", "));
    } finally {
      inspect.close();
    }
    assert.equal(await views.count({ slug: "s" }), 0);
    await views.insert({ _id: "b", slug: "s" });
    await views.insert({ _id: "c", slug: "s" });
    assert.equal(await views.count({ slug: "s" }), 2);
    await store.close();
  });

  it("treats `_` in a drop prefix literally, not as a LIKE wildcard", async () => {
    const store = await SqliteDocumentStore.open(join(dir, "literal.sqlite"));
    await store.collection("a_b").insert({ _id: "1" });
    await store.collection("axb").insert({ _id: "1" });
    await store.dropCollections("a_");
    assert.equal(await store.collection("a_b").count(), 0);
    assert.equal(await store.collection("axb").count(), 1);
    await store.close();
  });

  it("fails clearly once closed, and closing twice is harmless", async () => {
    const store = await SqliteDocumentStore.open(join(dir, "closed.sqlite"));
    const collection = store.collection("c");
    await store.close();
    await store.close();
    await assert.rejects(collection.get("a"), /is closed/);
    await assert.rejects(store.dropCollections("c"), /is closed/);
  });
});
