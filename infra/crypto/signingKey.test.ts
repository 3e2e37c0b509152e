import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { describe, it } from "node:test";
import { SigningKey, verifySignature } from "./signingKey.js";

describe("SigningKey (Ed25519)", () => {
  const { key, pem } = SigningKey.generate();

  it("signs a statement that verifies with its public key, and nothing else", () => {
    const signature = key.sign("aiclone-bundle-v1\nc1\n1\nabc\n10\n");
    assert.equal(Buffer.from(signature, "base64").length, 64);
    assert.ok(verifySignature(key.publicKeyBase64, "aiclone-bundle-v1\nc1\n1\nabc\n10\n", signature));
    assert.ok(!verifySignature(key.publicKeyBase64, "aiclone-bundle-v1\nc1\n2\nabc\n10\n", signature));
    const other = SigningKey.generate().key;
    assert.ok(!verifySignature(other.publicKeyBase64, "aiclone-bundle-v1\nc1\n1\nabc\n10\n", signature));
  });

  it("is read back from its PEM with the same public key (60 base64 characters)", () => {
    const again = SigningKey.fromPem(pem, "test");
    assert.equal(again.publicKeyBase64, key.publicKeyBase64);
    assert.equal(key.publicKeyBase64.length, 60);
  });

  it("refuses what is not an Ed25519 private key, naming where it came from", () => {
    assert.throws(
      () => SigningKey.fromPem("nonsense", "security.signingKeyFile x"),
      /signingKeyFile x: not a PEM/,
    );
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({
      type: "pkcs8",
      format: "pem",
    });
    assert.throws(() => SigningKey.fromPem(rsa.toString(), "k"), /must be Ed25519/);
  });
});
