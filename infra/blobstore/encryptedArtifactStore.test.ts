import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { SEGMENT_SIZE } from "../crypto/segmentedCipher.js";
import { keyringFixture } from "../crypto/test/keyringFixture.js";
import { ArtifactNotFoundError } from "./artifactStore.js";
import { EncryptedArtifactStore } from "./encryptedArtifactStore.js";
import { LocalArtifactStore } from "./localArtifactStore.js";
import { artifactStoreContract } from "./test/artifactStoreContract.js";

const { dir, keyring } = await keyringFixture("encrypted-artifacts-");

// Every key encrypted, so the whole port's behaviour is checked through the encryption.
artifactStoreContract("EncryptedArtifactStore over a local folder", async () => {
  const store = new EncryptedArtifactStore(
    new LocalArtifactStore(join(dir, "contract")),
    keyring,
    () => "scope:all",
  );
  return { store, cleanup: () => store.close() };
});

async function* body(...parts: (string | Buffer)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield Buffer.from(part);
}
async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
async function bytesOnDisk(root: string): Promise<Buffer> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  return Buffer.concat(await Promise.all(files.map((f) => readFile(f))));
}

describe("encrypted artifact store", () => {
  const root = join(dir, "clones");
  const scopeOf = (key: string) => /^clones\/([^/]+)\/sources\//.exec(key)?.[1] ?? null;
  const store = new EncryptedArtifactStore(new LocalArtifactStore(root), keyring, scopeOf);
  const secret = "Мой пароль от почты — 12345, не говори никому. ";

  it("stores a personal artifact only as ciphertext; other keys as they are", async () => {
    const text = secret.repeat(5000);
    const info = await store.put("clones/a/sources/s1", body(text));
    assert.equal(info.size, Buffer.byteLength(text));
    assert.equal((await store.stat("clones/a/sources/s1"))?.size, Buffer.byteLength(text));
    await store.put("clones/a/bundles/1/readme.txt", body("публичный бандл"));
    const disk = await bytesOnDisk(root);
    assert.equal(disk.includes(Buffer.from("пароль")), false);
    assert.equal(disk.includes(Buffer.from("публичный бандл")), true);
    assert.equal((await readAll(await store.get("clones/a/sources/s1"))).toString(), text);
    const range = await readAll(
      await store.get("clones/a/sources/s1", { range: { start: SEGMENT_SIZE - 5, end: SEGMENT_SIZE + 20 } }),
    );
    assert.deepEqual(range, Buffer.from(text).subarray(SEGMENT_SIZE - 5, SEGMENT_SIZE + 21));
  });

  it("reads a personal artifact as gone once its key is destroyed", async () => {
    await store.put("clones/b/sources/s1", body(secret));
    await keyring.destroy("b");
    await assert.rejects(store.get("clones/b/sources/s1"), ArtifactNotFoundError);
    await assert.rejects(store.put("clones/b/sources/s2", body(secret)), /destroyed/);
  });

  it("refuses a tampered artifact instead of returning altered bytes", async () => {
    await store.put("clones/c/sources/s1", body(secret.repeat(10)));
    const inner = new LocalArtifactStore(root);
    const stored = await readAll(await inner.get("clones/c/sources/s1"));
    stored[stored.length - 20] = (stored[stored.length - 20] ?? 0) ^ 0xff;
    await inner.put("clones/c/sources/s1", body(stored));
    await assert.rejects(readAll(await store.get("clones/c/sources/s1")), /failed authentication/);
  });
});
