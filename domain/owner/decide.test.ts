import { describe, it } from "node:test";
import type { Actor } from "../decider.js";
import { scenario } from "../test/givenWhenThen.js";
import { maxActiveApiKeys, ownerDecider } from "./decide.js";
import type { OwnerEvent } from "./events.js";

const system: Actor = { kind: "system", name: "bootstrap" };
const self: Actor = { kind: "owner", ownerId: "o1" };
const other: Actor = { kind: "owner", ownerId: "o2" };
const hash = "b".repeat(64);
const given = scenario(ownerDecider);
const created: OwnerEvent = { type: "OwnerCreated", data: { ownerId: "o1", name: "Admin" } };
const key = (keyId: string): OwnerEvent => ({
  type: "ApiKeyCreated",
  data: { ownerId: "o1", keyId, name: "ci", hash, prefix: "ak_x" },
});

describe("owner decider", () => {
  it("creates an owner once", () => {
    given([]).when({ type: "CreateOwner", ownerId: "o1", name: "Admin", actor: system }).then([created]);
    given([created])
      .when({ type: "CreateOwner", ownerId: "o1", name: "Admin", actor: system })
      .thenRefused("CONFLICT", "already exists");
  });
  it("records only the hash of a new key", () =>
    given([created])
      .when({
        type: "CreateApiKey",
        ownerId: "o1",
        keyId: "k1",
        name: "ci",
        hash,
        prefix: "ak_x",
        actor: self,
      })
      .then([key("k1")]));
  it("refuses a key for another owner", () =>
    given([created])
      .when({ type: "CreateApiKey", ownerId: "o1", keyId: "k1", name: "ci", hash, prefix: "p", actor: other })
      .thenRefused("FORBIDDEN", "own keys"));
  it(`caps active keys at ${maxActiveApiKeys}`, () =>
    given([created, ...Array.from({ length: maxActiveApiKeys }, (_, i) => key(`k${i}`))])
      .when({ type: "CreateApiKey", ownerId: "o1", keyId: "kx", name: "ci", hash, prefix: "p", actor: self })
      .thenRefused("CONFLICT", "revoke one first"));
  it("revokes a key once; a repeat is a no-op", () => {
    const revoked: OwnerEvent = { type: "ApiKeyRevoked", data: { ownerId: "o1", keyId: "k1" } };
    given([created, key("k1")])
      .when({ type: "RevokeApiKey", ownerId: "o1", keyId: "k1", actor: self })
      .then([revoked]);
    given([created, key("k1"), revoked])
      .when({ type: "RevokeApiKey", ownerId: "o1", keyId: "k1", actor: self })
      .then([]);
  });
  it("refuses to revoke an unknown key", () =>
    given([created])
      .when({ type: "RevokeApiKey", ownerId: "o1", keyId: "nope", actor: self })
      .thenRefused("NOT_FOUND", "does not exist"));
});
