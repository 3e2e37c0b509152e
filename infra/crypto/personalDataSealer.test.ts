import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { type PersonalDataPolicy, PersonalDataSealer, SEALED_FIELD } from "./personalDataSealer.js";
import { keyringFixture } from "./test/keyringFixture.js";

const { keyring } = await keyringFixture("sealer-");

const policy: PersonalDataPolicy = {
  scopeOf: (streamId) => (streamId.startsWith("clone-") ? `clone:${streamId.slice(6)}` : null),
  erasedFieldsOf: (type) => (type === "Named" ? { name: "", notes: [] } : undefined),
};

describe("personal data sealer", () => {
  const sealer = new PersonalDataSealer(keyring, policy);
  const event = (data: unknown, type = "Named") => ({ id: randomUUID(), type, data });

  it("encrypts the personal fields, keeps the rest readable, and opens them again", async () => {
    const e = event({ cloneId: "a", name: "Алиса Петрова", notes: ["секрет"], count: 3 });
    const sealed = (await sealer.seal("clone-a", e)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(sealed).sort(), ["cloneId", "count", SEALED_FIELD].sort());
    assert.equal(JSON.stringify(sealed).includes("Алиса"), false);
    assert.equal(JSON.stringify(sealed).includes("секрет"), false);
    assert.deepEqual(await sealer.open("clone-a", { ...e, data: sealed }), e.data);
  });

  it("leaves alone streams and types without personal data, and events sealed before nothing", async () => {
    const plain = event({ cloneId: "a", step: 1 }, "Progressed");
    assert.deepEqual(await sealer.seal("clone-a", plain), plain.data);
    const owner = event({ name: "Owner" });
    assert.deepEqual(await sealer.seal("owner-1", owner), owner.data);
    assert.deepEqual(await sealer.open("clone-a", plain), plain.data);
  });

  it("binds the sealed value to its event: moved to another event it fails", async () => {
    const e = event({ cloneId: "a", name: "Алиса" });
    const sealed = await sealer.seal("clone-a", e);
    await assert.rejects(
      sealer.open("clone-a", { ...e, id: randomUUID(), data: sealed }),
      /failed authentication/,
    );
  });

  it("after the key is destroyed the fields read as erased, and the event still has its shape", async () => {
    const e = event({ cloneId: "b", name: "Борис", notes: ["тайна"], count: 1 });
    const sealed = await sealer.seal("clone-b", e);
    await keyring.destroy("clone:b");
    assert.deepEqual(await sealer.open("clone-b", { ...e, data: sealed }), {
      cloneId: "b",
      count: 1,
      name: "",
      notes: [],
    });
    await assert.rejects(sealer.seal("clone-b", event({ cloneId: "b", name: "снова" })), /destroyed/);
  });
});
