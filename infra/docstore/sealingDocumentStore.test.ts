import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { keyringFixture } from "../crypto/test/keyringFixture.js";
import type { Document } from "./documentStore.js";
import type { SealedFields } from "./sealedFields.js";
import { SEALED_DOCUMENT_FIELD, SealingDocumentStore } from "./sealingDocumentStore.js";
import { SqliteDocumentStore } from "./sqliteDocumentStore.js";

const { dir, keyring } = await keyringFixture("sealing-docstore-");

interface Person extends Document {
  _id: string;
  _rev: number;
  ownerId: string;
  name: string;
  friends: { name: string; messages: number }[];
}

const people: SealedFields = {
  plain: ["_rev", "ownerId"],
  scopeOf: (id) => `person:${id}`,
  erased: { name: "", friends: [] },
};

const file = join(dir, "docs.sqlite");
const raw = await SqliteDocumentStore.open(file);
after(() => raw.close());

describe("sealing document store", () => {
  const store = new SealingDocumentStore(raw, keyring, (name) => (name.endsWith("people") ? people : null));
  const sealed = store.collection<Person>("rm_people");
  const alice: Person = {
    _id: "alice",
    _rev: 1,
    ownerId: "o1",
    name: "Алиса Шредер",
    friends: [{ name: "Евлампий Крипто", messages: 42 }],
  };
  const bytes = async () =>
    Buffer.concat([await readFile(file), await readFile(`${file}-wal`).catch(() => Buffer.alloc(0))]);

  it("stores every field but the plain ones sealed, and reads the document back whole", async () => {
    assert.equal(await sealed.insert(alice), true);
    assert.deepEqual(await sealed.get("alice"), alice);
    const stored = await raw.collection("rm_people").get("alice");
    assert.deepEqual(
      Object.keys(stored ?? {}).sort(),
      ["_id", "_rev", "ownerId", SEALED_DOCUMENT_FIELD].sort(),
    );
    const held = await bytes();
    for (const word of ["Алиса Шредер", "Евлампий Крипто"])
      assert.equal(held.includes(Buffer.from(word)), false, `${word} is in the file in the clear`);
  });

  it("answers queries, sorts, counts and guarded writes on the plain fields", async () => {
    const bob: Person = { ...alice, _id: "bob", ownerId: "o2", name: "Боб" };
    await sealed.put(bob);
    assert.deepEqual(await sealed.find({ ownerId: "o2" }), [bob]);
    assert.deepEqual(
      (await sealed.find({}, { sort: { field: "_id", direction: "desc" }, limit: 1 })).map((p) => p.name),
      ["Боб"],
    );
    assert.equal(await sealed.count({ ownerId: "o1" }), 1);
    assert.equal(await sealed.upsertGuarded({ ...alice, _rev: 1, name: "старое" }, "_rev"), false);
    assert.equal(await sealed.upsertGuarded({ ...alice, _rev: 2, name: "Алиса" }, "_rev"), true);
    assert.equal((await sealed.get("alice"))?.name, "Алиса");
    assert.equal(await sealed.deleteMany({ ownerId: "o2" }), 1);
  });

  it("seals and opens a page of documents written and read in bulk", async () => {
    const carol: Person = { ...alice, _id: "carol", _rev: 1, name: "Кэрол Балк" };
    const dave: Person = { ...alice, _id: "dave", _rev: 1, name: "Дейв Балк" };
    assert.deepEqual(await sealed.upsertGuardedMany([carol, dave], "_rev"), [true, true]);
    assert.deepEqual(await sealed.upsertGuardedMany([{ ...carol, name: "повтор" }], "_rev"), [false]);
    assert.deepEqual(await sealed.getMany(["dave", "nobody", "carol"]), [dave, null, carol]);
    assert.equal(
      (await bytes()).includes(Buffer.from("Балк")),
      false,
      "a bulk write left a name in the clear",
    );
    await assert.rejects(sealed.upsertGuardedMany([carol], "name"), /is sealed/);
    await sealed.deleteMany({ _id: { $in: ["carol", "dave"] } });
  });

  it("refuses a filter, sort, guard or index on a sealed field (it would silently match nothing)", async () => {
    await assert.rejects(sealed.find({ name: "Алиса" }), /sealed/);
    await assert.rejects(sealed.find({}, { sort: { field: "friends.name", direction: "asc" } }), /sealed/);
    await assert.rejects(sealed.count({ "friends.messages": 42 }), /sealed/);
    await assert.rejects(sealed.deleteMany({ name: "Алиса" }), /sealed/);
    await assert.rejects(sealed.upsertGuarded(alice, "name"), /sealed/);
    await assert.rejects(sealed.ensureIndex(["name"]), /sealed/);
  });

  it("reads the sealed fields as erased once the key is destroyed, and writes no personal part then", async () => {
    await sealed.put({ ...alice, _id: "carol", name: "Кэрол" });
    await keyring.destroy("person:carol");
    const erased = { ...alice, _id: "carol", name: "", friends: [] };
    assert.deepEqual(await sealed.get("carol"), erased);
    await sealed.put({ ...alice, _id: "carol", _rev: 3, name: "Кэрол снова" });
    assert.deepEqual(await sealed.get("carol"), { ...erased, _rev: 3 });
    assert.equal((await bytes()).includes(Buffer.from("Кэрол снова")), false);
  });

  it("refuses a sealed part moved to another document", async () => {
    await sealed.put({ ...alice, _id: "dave" });
    const inner = raw.collection("rm_people");
    const fromAlice = await inner.get("alice");
    const dave = await inner.get("dave");
    await inner.put({ ...dave, _id: "dave", [SEALED_DOCUMENT_FIELD]: fromAlice?.[SEALED_DOCUMENT_FIELD] });
    await assert.rejects(sealed.get("dave"), /failed authentication/);
  });

  it("reads a document stored in the clear before sealing as it is; other collections pass through", async () => {
    await raw.collection("rm_people").put({ _id: "old", _rev: 1, ownerId: "o1", name: "Старый" });
    assert.deepEqual(await sealed.get("old"), {
      _id: "old",
      _rev: 1,
      ownerId: "o1",
      name: "Старый",
      friends: [],
    });
    await store.collection("rm_owners").put({ _id: "o1", name: "Владелец" });
    assert.deepEqual(await raw.collection("rm_owners").get("o1"), { _id: "o1", name: "Владелец" });
  });
});
