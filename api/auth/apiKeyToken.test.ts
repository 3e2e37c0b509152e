import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  generateApiKey,
  generateInstallToken,
  hashMatches,
  installTokenIdOf,
  keyIdOf,
} from "./apiKeyToken.js";

describe("API key tokens", () => {
  it("carry their key id and verify against their hash only", () => {
    const key = generateApiKey();
    assert.equal(keyIdOf(key.token), key.keyId);
    assert.ok(hashMatches(key.token, key.hash));
    const last = key.token.at(-1) === "A" ? "B" : "A";
    assert.ok(!hashMatches(`${key.token.slice(0, -1)}${last}`, key.hash));
    assert.ok(key.token.startsWith(key.prefix));
    assert.ok(!key.hash.includes(key.token));
  });
  it("rejects malformed tokens", () => {
    for (const bad of ["", "ak_", "Bearer x", `ak_${"g".repeat(32)}_${"a".repeat(43)}`, "ak_123_abc"])
      assert.equal(keyIdOf(bad), null, bad);
  });
});

describe("install tokens", () => {
  it("are told apart from API keys", () => {
    const token = generateInstallToken();
    assert.match(token.token, /^ait_/);
    assert.equal(installTokenIdOf(token.token), token.keyId);
    assert.equal(keyIdOf(token.token), null, "an install token is no API key");
    assert.equal(installTokenIdOf(generateApiKey().token), null, "an API key is no install token");
    assert.ok(hashMatches(token.token, token.hash));
  });
});
