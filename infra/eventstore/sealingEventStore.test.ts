import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { type PersonalDataPolicy, PersonalDataSealer } from "../crypto/personalDataSealer.js";
import { keyringFixture } from "../crypto/test/keyringFixture.js";
import { SealingEventStore } from "./sealingEventStore.js";
import { SqliteEventStore } from "./sqliteEventStore.js";
import { eventStoreContract } from "./test/eventStoreContract.js";

const { dir, keyring } = await keyringFixture("sealing-store-");

/** Every stream has its own key, and the fields the contract writes are all personal: everything is sealed. */
const everything: PersonalDataPolicy = {
  scopeOf: (streamId) => `stream:${streamId}`,
  erasedFieldsOf: () => ({ n: 0, title: "", body: "", tags: [], name: "" }),
};
const sealer = new PersonalDataSealer(keyring, everything);

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of source) all.push(item);
  return all;
}

async function openSealed(file: string): Promise<SealingEventStore> {
  return new SealingEventStore(await SqliteEventStore.open(file, { pollIntervalMs: 20 }), sealer);
}

eventStoreContract("SealingEventStore over SqliteEventStore", async () => {
  const file = join(dir, `${randomUUID()}.sqlite`);
  const store = await openSealed(file);
  return { store, reopen: () => openSealed(file), cleanup: () => store.close() };
});

describe("sealing event store", () => {
  it("writes no personal field to the engine in the clear, and shreds them with the key", async () => {
    const file = join(dir, "shred.sqlite");
    const store = await openSealed(file);
    const stream = `clone-${randomUUID()}`;
    const event = {
      id: randomUUID(),
      type: "Named",
      data: { cloneId: "x", name: "Светлана Иванова", count: 2 },
      metadata: { principal: "test", timestamp: new Date().toISOString() },
    };
    await store.append(stream, [event], "no_stream");
    const raw = await SqliteEventStore.open(file);
    const [stored] = await collect(raw.readStream(stream));
    assert.equal(JSON.stringify(stored?.data).includes("Светлана"), false);
    await raw.close();
    assert.equal((await readFile(file)).includes(Buffer.from("Светлана")), false, "not in the file's bytes");
    assert.deepEqual((await collect(store.readStream(stream)))[0]?.data, event.data);

    await keyring.destroy(`stream:${stream}`);
    const [shredded] = await collect(store.readStream(stream));
    assert.deepEqual(shredded?.data, {
      cloneId: "x",
      count: 2,
      n: 0,
      title: "",
      body: "",
      tags: [],
      name: "",
    });
    await store.close();
  });
});
