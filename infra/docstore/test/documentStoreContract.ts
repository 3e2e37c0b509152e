/**
 * The behaviour every document-store adapter must show; run against each adapter. Collection names
 * carry a random prefix per test, so the suite can share one server (MongoDB) with other runs.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { type Document, type DocumentStore, DuplicateKeyError } from "../documentStore.js";

export interface DocumentStoreFixture {
  store: DocumentStore;
  /** Closes the store; the backing data may stay until the test file ends. */
  cleanup(): Promise<void>;
}

export interface DocumentStoreContractOptions {
  /**
   * Whether every `open()` returns a store over the same backing data (the same file, the same
   * database). When true the suite also checks that writes survive close and reopen. An in-memory
   * adapter, whose data dies with the store, passes false.
   */
  sharedBackingData?: boolean;
}

interface Person extends Document {
  name: string;
  age?: number | null;
  active?: boolean;
  city?: string;
  address?: { city: string; zip?: string };
  tags?: string[];
}

const PEOPLE: Person[] = [
  { _id: "p1", name: "Ada", age: 36, active: true, address: { city: "London", zip: "N1" } },
  { _id: "p2", name: "Bob", age: 25, active: false, address: { city: "Paris" } },
  { _id: "p3", name: "Cyd", age: 36, active: true, address: { city: "London" } },
  { _id: "p4", name: "Dee", age: null, active: false },
  { _id: "p5", name: "Eve", active: true, address: { city: "Kyiv" } },
  { _id: "p6", name: "Fay", age: 52, active: true, address: { city: "Paris", zip: "75001" } },
];

const ids = (docs: Document[]) => docs.map((d) => d._id);

export function documentStoreContract(
  name: string,
  open: () => Promise<DocumentStoreFixture>,
  options: DocumentStoreContractOptions = {},
): void {
  const sharedBackingData = options.sharedBackingData ?? true;

  describe(`document store contract: ${name}`, () => {
    let fixture: DocumentStoreFixture;
    before(async () => {
      fixture = await open();
    });
    after(async () => fixture.cleanup());
    // Letters and digits only, so a prefix is a valid collection name on every engine.
    const unique = () => `t${randomUUID().replaceAll("-", "").slice(0, 12)}`;
    const people = async () => {
      const collection = fixture.store.collection<Person>(`${unique()}_people`);
      for (const person of PEOPLE) assert.equal(await collection.insert(person), true);
      return collection;
    };

    describe("get, insert, put, delete", () => {
      it("returns null for an unknown id, also in a collection never written", async () => {
        const collection = fixture.store.collection(unique());
        assert.equal(await collection.get("missing"), null);
        assert.equal(await collection.count(), 0);
        assert.deepEqual(await collection.find(), []);
      });

      it("inserts and reads back the same document", async () => {
        const collection = fixture.store.collection(unique());
        const doc = { _id: "a", n: 1.5, nested: { list: [1, "two", { three: 3 }], flag: false, nil: null } };
        assert.equal(await collection.insert(doc), true);
        assert.deepEqual(await collection.get("a"), doc);
      });

      it("refuses to insert an existing _id and keeps the stored document", async () => {
        const collection = fixture.store.collection(unique());
        await collection.insert({ _id: "a", v: 1 });
        assert.equal(await collection.insert({ _id: "a", v: 2 }), false);
        assert.deepEqual(await collection.get("a"), { _id: "a", v: 1 });
      });

      it("put replaces the whole document, or inserts it", async () => {
        const collection = fixture.store.collection(unique());
        await collection.put({ _id: "a", v: 1, gone: true });
        await collection.put({ _id: "a", v: 2 });
        await collection.put({ _id: "b", v: 3 });
        assert.deepEqual(await collection.get("a"), { _id: "a", v: 2 });
        assert.deepEqual(await collection.get("b"), { _id: "b", v: 3 });
      });

      it("delete says whether a document was removed", async () => {
        const collection = fixture.store.collection(unique());
        await collection.insert({ _id: "a" });
        assert.equal(await collection.delete("a"), true);
        assert.equal(await collection.delete("a"), false);
        assert.equal(await collection.get("a"), null);
      });

      it("deleteMany removes what the filter matches and returns how many", async () => {
        const collection = await people();
        assert.equal(await collection.deleteMany({ "address.city": "London" }), 2);
        assert.equal(await collection.deleteMany({ "address.city": "London" }), 0);
        assert.deepEqual(ids(await collection.find()), ["p2", "p4", "p5", "p6"]);
        assert.equal(await collection.deleteMany({}), 4);
        assert.equal(await collection.count(), 0);
      });
    });

    describe("upsertGuarded", () => {
      it("inserts when missing, takes a newer guard, rejects an equal or older one", async () => {
        const collection = fixture.store.collection(unique());
        assert.equal(await collection.upsertGuarded({ _id: "a", version: 2, v: "two" }, "version"), true);
        assert.equal(await collection.upsertGuarded({ _id: "a", version: 2, v: "again" }, "version"), false);
        assert.equal(await collection.upsertGuarded({ _id: "a", version: 1, v: "old" }, "version"), false);
        assert.deepEqual(await collection.get("a"), { _id: "a", version: 2, v: "two" });
        assert.equal(await collection.upsertGuarded({ _id: "a", version: 5, v: "five" }, "version"), true);
        assert.deepEqual(await collection.get("a"), { _id: "a", version: 5, v: "five" });
      });

      it("guards on a nested field", async () => {
        const collection = fixture.store.collection(unique());
        assert.equal(await collection.upsertGuarded({ _id: "a", meta: { rev: 3 } }, "meta.rev"), true);
        assert.equal(await collection.upsertGuarded({ _id: "a", meta: { rev: 3 }, x: 1 }, "meta.rev"), false);
        assert.equal(await collection.upsertGuarded({ _id: "a", meta: { rev: 4 }, x: 2 }, "meta.rev"), true);
        assert.deepEqual(await collection.get("a"), { _id: "a", meta: { rev: 4 }, x: 2 });
      });

      it("refuses a document without a numeric guard", async () => {
        const collection = fixture.store.collection(unique());
        await assert.rejects(collection.upsertGuarded({ _id: "a", version: "2" }, "version"), TypeError);
        assert.equal(await collection.get("a"), null);
      });
    });

    describe("getMany, upsertGuardedMany (a projection's page in one round trip)", () => {
      it("getMany returns the documents in the order asked, null where missing", async () => {
        const collection = await people();
        assert.deepEqual(ids((await collection.getMany(["p3", "p1"])) as Document[]), ["p3", "p1"]);
        const mixed = await collection.getMany(["p2", "nobody", "p6"]);
        assert.equal(mixed.length, 3);
        assert.equal(mixed[1], null);
        assert.deepEqual(mixed[2], PEOPLE[5]);
        assert.deepEqual(await collection.getMany([]), []);
        assert.deepEqual(await fixture.store.collection(unique()).getMany(["a"]), [null]);
      });

      it("upsertGuardedMany writes each document its guard lets through and says which", async () => {
        const collection = fixture.store.collection(unique());
        await collection.upsertGuarded({ _id: "a", version: 2, v: "stored" }, "version");
        await collection.upsertGuarded({ _id: "b", version: 5, v: "stored" }, "version");
        const written = await collection.upsertGuardedMany(
          [
            { _id: "a", version: 3, v: "newer" },
            { _id: "b", version: 5, v: "same" },
            { _id: "c", version: 1, v: "new" },
            { _id: "d", version: 0, v: "new, guard zero" },
          ],
          "version",
        );
        assert.deepEqual(written, [true, false, true, true]);
        assert.deepEqual(
          (await collection.getMany(["a", "b", "c", "d"])).map((d) => d?.v),
          ["newer", "stored", "new", "new, guard zero"],
        );
        assert.deepEqual(await collection.upsertGuardedMany([], "version"), []);
      });

      it("upsertGuardedMany refuses repeated ids and documents without a numeric guard, writing nothing", async () => {
        const collection = fixture.store.collection(unique());
        await assert.rejects(
          collection.upsertGuardedMany(
            [
              { _id: "a", version: 1 },
              { _id: "a", version: 2 },
            ],
            "version",
          ),
          /more than once/,
        );
        await assert.rejects(
          collection.upsertGuardedMany(
            [
              { _id: "b", version: 1 },
              { _id: "c", version: "2" },
            ],
            "version",
          ),
          TypeError,
        );
        assert.deepEqual(await collection.getMany(["a", "b", "c"]), [null, null, null]);
      });

      it("upsertGuardedMany keeps unique indexes: a clash fails with DuplicateKeyError", async () => {
        const collection = fixture.store.collection(unique());
        await collection.ensureIndex(["email"], { unique: true });
        await collection.upsertGuarded({ _id: "a", version: 1, email: "a@example.org" }, "version");
        await assert.rejects(
          collection.upsertGuardedMany([{ _id: "b", version: 1, email: "a@example.org" }], "version"),
          DuplicateKeyError,
        );
        assert.equal(await collection.get("b"), null);
      });
    });

    describe("find", () => {
      it("matches equality, including on booleans and nested paths", async () => {
        const collection = await people();
        assert.deepEqual(ids(await collection.find({ age: 36 })), ["p1", "p3"]);
        assert.deepEqual(ids(await collection.find({ active: false })), ["p2", "p4"]);
        assert.deepEqual(ids(await collection.find({ "address.city": "Paris" })), ["p2", "p6"]);
        assert.deepEqual(ids(await collection.find({ "address.zip": "N1", active: true })), ["p1"]);
        assert.deepEqual(ids(await collection.find({ _id: "p5" })), ["p5"]);
      });

      it("applies each comparison operator", async () => {
        const collection = await people();
        assert.deepEqual(ids(await collection.find({ age: { $eq: 25 } })), ["p2"]);
        assert.deepEqual(ids(await collection.find({ age: { $gt: 36 } })), ["p6"]);
        assert.deepEqual(ids(await collection.find({ age: { $gte: 36 } })), ["p1", "p3", "p6"]);
        assert.deepEqual(ids(await collection.find({ age: { $lt: 36 } })), ["p2"]);
        assert.deepEqual(ids(await collection.find({ age: { $lte: 36 } })), ["p1", "p2", "p3"]);
        assert.deepEqual(ids(await collection.find({ age: { $gt: 25, $lt: 52 } })), ["p1", "p3"]);
        assert.deepEqual(ids(await collection.find({ name: { $gte: "Cyd", $lt: "Eve" } })), ["p3", "p4"]);
        assert.deepEqual(ids(await collection.find({ _id: { $gt: "p4" } })), ["p5", "p6"]);
      });

      it("$ne also matches documents without the field", async () => {
        const collection = await people();
        assert.deepEqual(ids(await collection.find({ "address.city": { $ne: "London" } })), [
          "p2",
          "p4",
          "p5",
          "p6",
        ]);
      });

      it("null matches null and a missing field", async () => {
        const collection = await people();
        assert.deepEqual(ids(await collection.find({ age: null })), ["p4", "p5"]);
        assert.deepEqual(ids(await collection.find({ age: { $ne: null } })), ["p1", "p2", "p3", "p6"]);
      });

      it("$in matches any listed value, of any scalar type", async () => {
        const collection = await people();
        assert.deepEqual(ids(await collection.find({ "address.city": { $in: ["Kyiv", "Paris"] } })), [
          "p2",
          "p5",
          "p6",
        ]);
        assert.deepEqual(ids(await collection.find({ age: { $in: [25, 52, "36"] } })), ["p2", "p6"]);
        assert.deepEqual(ids(await collection.find({ _id: { $in: ["p1", "p9"] } })), ["p1"]);
        assert.deepEqual(ids(await collection.find({ age: { $in: [] } })), []);
      });

      it("compares only values of the operand's type", async () => {
        const collection = fixture.store.collection(unique());
        await collection.insert({ _id: "num", v: 6 });
        await collection.insert({ _id: "str", v: "6" });
        await collection.insert({ _id: "one", v: 1 });
        await collection.insert({ _id: "yes", v: true });
        assert.deepEqual(ids(await collection.find({ v: { $gt: 5 } })), ["num"]);
        assert.deepEqual(ids(await collection.find({ v: "6" })), ["str"]);
        assert.deepEqual(ids(await collection.find({ v: true })), ["yes"]);
        assert.deepEqual(ids(await collection.find({ v: 1 })), ["one"]);
      });

      it("sorts ascending and descending, ties broken by _id in the same direction", async () => {
        const collection = await people();
        const asc = await collection.find(
          { age: { $ne: null } },
          { sort: { field: "age", direction: "asc" } },
        );
        assert.deepEqual(ids(asc), ["p2", "p1", "p3", "p6"]);
        const desc = await collection.find(
          { age: { $ne: null } },
          { sort: { field: "age", direction: "desc" } },
        );
        assert.deepEqual(ids(desc), ["p6", "p3", "p1", "p2"]);
        const byCity = await collection.find(
          { "address.city": { $ne: null } },
          { sort: { field: "address.city", direction: "desc" } },
        );
        assert.deepEqual(ids(byCity), ["p6", "p2", "p3", "p1", "p5"]);
        const byId = await collection.find({}, { sort: { field: "_id", direction: "desc" } });
        assert.deepEqual(ids(byId), ["p6", "p5", "p4", "p3", "p2", "p1"]);
      });

      it("pages with skip and limit over a sorted result, without overlap", async () => {
        const collection = fixture.store.collection(unique());
        for (let i = 0; i < 25; i++)
          await collection.insert({ _id: `d${String(i).padStart(2, "0")}`, group: i % 3 });
        const sort = { field: "group", direction: "asc" } as const;
        const pages: string[] = [];
        for (let skip = 0; skip < 25; skip += 10) {
          const page = await collection.find({}, { sort, skip, limit: 10 });
          assert.ok(page.length <= 10);
          pages.push(...ids(page));
        }
        const all = ids(await collection.find({}, { sort }));
        assert.equal(all.length, 25);
        assert.deepEqual(pages, all);
        assert.deepEqual(ids(await collection.find({}, { skip: 23 })), ["d23", "d24"]);
        assert.deepEqual(await collection.find({}, { limit: 0 }), [], "limit 0 means no documents");
      });

      it("counts what a filter matches", async () => {
        const collection = await people();
        assert.equal(await collection.count(), 6);
        assert.equal(await collection.count({ active: true }), 4);
        assert.equal(await collection.count({ active: true, age: { $gte: 40 } }), 1);
        assert.equal(await collection.count({ name: "nobody" }), 0);
      });

      it("refuses operators and values outside the port", async () => {
        const collection = await people();
        const bad = [{ name: { $regex: "A" } }, { name: { city: "x" } }, { "a..b": 1 }, { age: Number.NaN }];
        for (const filter of bad) {
          await assert.rejects(collection.find(filter as any), TypeError, JSON.stringify(filter));
        }
        await assert.rejects(collection.find({}, { limit: -1 }), TypeError);
      });
    });

    describe("unicode", () => {
      it("round-trips Cyrillic and emoji and matches them by equality", async () => {
        const collection = fixture.store.collection(unique());
        const doc = { _id: "ключ-🔑", text: "Привіт, світе! 👋🏽 ёЁ", nested: { name: "Ярослав" } };
        await collection.insert(doc);
        await collection.insert({ _id: "other", text: "hello" });
        assert.deepEqual(await collection.get("ключ-🔑"), doc);
        assert.deepEqual(ids(await collection.find({ text: "Привіт, світе! 👋🏽 ёЁ" })), ["ключ-🔑"]);
        assert.deepEqual(ids(await collection.find({ "nested.name": { $in: ["Ярослав"] } })), ["ключ-🔑"]);
        assert.equal(await collection.count({ text: "Привіт" }), 0);
      });
    });

    describe("ensureIndex", () => {
      it("a unique index refuses a clashing write with DuplicateKeyError naming the fields", async () => {
        const collection = fixture.store.collection(unique());
        await collection.ensureIndex(["owner", "slug"], { unique: true });
        await collection.insert({ _id: "a", owner: "u1", slug: "bot" });
        await collection.insert({ _id: "b", owner: "u2", slug: "bot" });
        const clash = (error: unknown) => {
          assert.ok(error instanceof DuplicateKeyError, String(error));
          assert.deepEqual(error.fields, ["owner", "slug"]);
          return true;
        };
        await assert.rejects(collection.insert({ _id: "c", owner: "u1", slug: "bot" }), clash);
        await assert.rejects(collection.put({ _id: "b", owner: "u1", slug: "bot" }), clash);
        await assert.rejects(
          collection.upsertGuarded({ _id: "d", v: 1, owner: "u1", slug: "bot" }, "v"),
          clash,
        );
        assert.deepEqual(ids(await collection.find()), ["a", "b"]);
        assert.deepEqual(await collection.get("b"), { _id: "b", owner: "u2", slug: "bot" });
      });

      it("is idempotent and keeps working for queries", async () => {
        const collection = await people();
        await collection.ensureIndex(["address.city"]);
        await collection.ensureIndex(["address.city"]);
        await collection.ensureIndex(["name"], { unique: true });
        await collection.ensureIndex(["name"], { unique: true });
        assert.deepEqual(ids(await collection.find({ "address.city": "London" })), ["p1", "p3"]);
        await collection.insert({ _id: "p7", name: "Gus", address: { city: "London" } });
        assert.equal(await collection.count({ "address.city": "London" }), 3);
      });

      it("refuses to build a unique index over documents that already clash", async () => {
        const collection = await people();
        await assert.rejects(collection.ensureIndex(["age"], { unique: true }));
        await collection.insert({ _id: "p7", name: "Gus", age: 36 });
      });
    });

    describe("collections", () => {
      it("keeps collections apart", async () => {
        const base = unique();
        const one = fixture.store.collection(`${base}_one`);
        const two = fixture.store.collection(`${base}_two`);
        await one.insert({ _id: "a", in: "one" });
        assert.equal(await two.get("a"), null);
        assert.equal(await two.count(), 0);
      });

      it("dropCollections drops only collections whose name starts with the prefix", async () => {
        const base = unique();
        const keep = unique();
        const names = [`${base}_a`, `${base}_b`, `${base}`, `${keep}_a`];
        for (const collectionName of names) {
          const collection = fixture.store.collection(collectionName);
          await collection.ensureIndex(["k"], { unique: true });
          await collection.insert({ _id: "x", k: 1 });
        }
        await fixture.store.dropCollections(base);
        for (const collectionName of names.slice(0, 3)) {
          const collection = fixture.store.collection(collectionName);
          assert.equal(await collection.count(), 0, collectionName);
          // The unique index went with the collection: the same key may be written again.
          await collection.insert({ _id: "y", k: 1 });
          await collection.insert({ _id: "z", k: 1 });
        }
        assert.deepEqual(await fixture.store.collection(`${keep}_a`).get("x"), { _id: "x", k: 1 });
      });

      it("refuses invalid collection names and an empty drop prefix", async () => {
        assert.throws(() => fixture.store.collection("has space"), TypeError);
        assert.throws(() => fixture.store.collection(""), TypeError);
        await assert.rejects(fixture.store.dropCollections(""), TypeError);
      });
    });

    describe("durability", { skip: !sharedBackingData && "the adapter keeps no data across opens" }, () => {
      it("keeps documents and unique indexes across close and reopen", async () => {
        const collectionName = unique();
        const first = await open();
        try {
          const collection = first.store.collection(collectionName);
          await collection.ensureIndex(["email"], { unique: true });
          await collection.insert({ _id: "a", email: "a@example.com", name: "Олена" });
          await collection.put({ _id: "b", email: "b@example.com" });
        } finally {
          await first.cleanup();
        }
        const second = await open();
        try {
          const collection = second.store.collection(collectionName);
          assert.deepEqual(await collection.get("a"), { _id: "a", email: "a@example.com", name: "Олена" });
          assert.equal(await collection.count(), 2);
          await assert.rejects(
            collection.insert({ _id: "c", email: "a@example.com" }),
            (error: unknown) => error instanceof DuplicateKeyError && error.fields.join() === "email",
          );
        } finally {
          await second.cleanup();
        }
      });

      it("a second open store sees what the first one wrote", async () => {
        const collectionName = unique();
        const other = await open();
        try {
          await fixture.store.collection(collectionName).insert({ _id: "a", v: 1 });
          assert.deepEqual(await other.store.collection(collectionName).get("a"), { _id: "a", v: 1 });
          await other.store.collection(collectionName).put({ _id: "a", v: 2 });
          assert.deepEqual(await fixture.store.collection(collectionName).get("a"), { _id: "a", v: 2 });
        } finally {
          await other.cleanup();
        }
      });
    });
  });
}
