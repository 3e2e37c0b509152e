import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DataKeyDestroyedError, DataKeyring } from "./dataKeyring.js";
import { MasterKey } from "./masterKey.js";
import { keyringFixture } from "./test/keyringFixture.js";

const { keys, master } = await keyringFixture("keyring-");

describe("data keyring", () => {
  it("makes one key per scope, stored wrapped, and the same key for every process with the master key", async () => {
    const a = new DataKeyring(keys, master, [], 0);
    const b = new DataKeyring(keys, master, [], 0);
    const [k1, k2] = await Promise.all([a.keyFor("clone:1"), b.keyFor("clone:1")]);
    assert.deepEqual(k1, k2, "racing processes agree on one key");
    assert.equal(k1.length, 32);
    assert.notDeepEqual(await a.keyFor("clone:2"), k1);
    const doc = await keys.get("clone:1");
    assert.equal(doc?.masterKeyId, master.id);
    assert.equal(Buffer.from(doc?.wrapped ?? "", "base64").includes(k1), false, "never stored in the clear");
    assert.deepEqual(await b.existingKey("clone:1"), k1);
    assert.equal(await b.existingKey("clone:never"), null);
  });

  it("names the master key mismatch, and unwraps with a previous master key during rotation", async () => {
    const other = MasterKey.generate().key;
    await assert.rejects(new DataKeyring(keys, other, [], 0).existingKey("clone:1"), (error: Error) => {
      assert.match(error.message, new RegExp(`wrapped by master key ${master.id}.*security\\.masterKey`));
      return true;
    });
    const rotated = new DataKeyring(keys, other, [master], 0);
    const k1 = await new DataKeyring(keys, master).keyFor("clone:1");
    assert.deepEqual(await rotated.existingKey("clone:1"), k1);
    // Re-wrapping under the new master key: afterwards the old one is no longer needed.
    assert.ok((await rotated.rewrapAll()) >= 1);
    assert.equal(await rotated.rewrapAll(), 0, "idempotent");
    assert.deepEqual(await new DataKeyring(keys, other, [], 0).existingKey("clone:1"), k1);
    await assert.rejects(
      new DataKeyring(keys, master, [], 0).existingKey("clone:1"),
      /wrapped by master key/,
    );
    // Back to the first master key for the tests below.
    assert.ok((await new DataKeyring(keys, master, [other], 0).rewrapAll()) >= 1);
  });

  it("refuses a wrapped key copied to another scope", async () => {
    const doc = await keys.get("clone:1");
    await keys.put({ ...doc!, _id: "clone:copy" });
    await assert.rejects(new DataKeyring(keys, master, [], 0).existingKey("clone:copy"), /does not unwrap/);
  });

  it("destroys a key for good: a tombstone, no key material, seen by other processes after their cache", async () => {
    const a = new DataKeyring(keys, master, [], 0);
    const cached = new DataKeyring(keys, master, [], 60_000);
    await a.keyFor("clone:3");
    assert.ok(await cached.existingKey("clone:3"));
    await a.destroy("clone:3");
    const doc = await keys.get("clone:3");
    assert.equal(doc?.wrapped, undefined);
    assert.ok(doc?.destroyedAt);
    assert.equal(await a.existingKey("clone:3"), null);
    await assert.rejects(a.keyFor("clone:3"), DataKeyDestroyedError, "never silently replaced");
    assert.ok(await cached.existingKey("clone:3"), "a process's cache keeps it until it expires");
    assert.equal(await new DataKeyring(keys, master, [], 0).existingKey("clone:3"), null);
    assert.deepEqual((await a.liveScopes()).map((s) => s.scope).includes("clone:3"), false);
  });

  it("reads the master key from base64 and refuses anything that is not 32 bytes", () => {
    const { base64, key } = MasterKey.generate();
    assert.equal(MasterKey.fromBase64(base64, "security.masterKey").id, key.id);
    assert.throws(
      () => MasterKey.fromBase64("c2hvcnQ=", "security.masterKey"),
      /security\.masterKey: .*32 random bytes/,
    );
  });
});
