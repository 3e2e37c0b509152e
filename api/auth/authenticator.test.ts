import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ReadModels } from "../../projections/readModels.js";
import type { ApiKeyView, OwnerView } from "../../projections/views.js";
import { generateApiKey } from "./apiKeyToken.js";
import { Authenticator } from "./authenticator.js";

/** Read models holding one owner (or none) and one key, as the authenticator reads them. */
function modelsWith(owner: OwnerView | null, key: ApiKeyView): ReadModels {
  return {
    owners: { get: async (id: string) => (owner && id === owner._id ? owner : null) },
    apiKeys: { get: async (id: string) => (id === key._id ? key : null) },
  } as unknown as ReadModels;
}

describe("authenticator", () => {
  const generated = generateApiKey();
  const owner: OwnerView = { _id: "owner-1", _rev: 1, name: "Аня", createdAt: "2026-01-01T00:00:00Z" };
  const key: ApiKeyView = {
    _id: generated.keyId,
    _rev: 1,
    ownerId: owner._id,
    name: "k",
    hash: generated.hash,
    prefix: generated.prefix,
    createdAt: "2026-01-01T00:00:00Z",
    revokedAt: null,
  };
  const bearer = `Bearer ${generated.token}`;

  it("accepts a live key of an existing owner", async () => {
    assert.deepEqual(await new Authenticator(modelsWith(owner, key)).authenticate(bearer), {
      ownerId: owner._id,
      keyId: key._id,
    });
  });

  it("refuses a revoked key, an expired key and a key whose owner is gone", async () => {
    const revoked = { ...key, revokedAt: "2026-01-02T00:00:00Z" };
    assert.equal(await new Authenticator(modelsWith(owner, revoked)).authenticate(bearer), null);
    const expired = { ...key, expiresAt: "2026-01-02T00:00:00Z" };
    assert.equal(await new Authenticator(modelsWith(owner, expired)).authenticate(bearer), null);
    const later = { ...key, expiresAt: new Date(Date.now() + 3600_000).toISOString() };
    assert.ok(await new Authenticator(modelsWith(owner, later)).authenticate(bearer));
    assert.equal(await new Authenticator(modelsWith(null, key)).authenticate(bearer), null);
  });
});
