import assert from "node:assert/strict";
import { createHash } from "node:crypto";
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

describe("plaintext stored before its kind was encrypted (bundles before issue 16, item 6)", () => {
  const root = join(dir, "legacy");
  const inner = new LocalArtifactStore(root);
  const mayBePlain = (key: string) => key.includes("/bundles/");
  const store = new EncryptedArtifactStore(inner, keyring, () => "legacy", mayBePlain);
  const text = Buffer.from("старый бандл, записанный открытым текстом. ".repeat(4000));
  const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

  it("reads an old plaintext artifact of such a kind as it is: whole, by range, stat and list", async () => {
    const key = "clones/l/bundles/1/bundle.tar.gz";
    await inner.put(key, body(text));
    assert.deepEqual(await readAll(await store.get(key)), text);
    const range = { start: SEGMENT_SIZE - 5, end: SEGMENT_SIZE + 20 };
    assert.deepEqual(
      await readAll(await store.get(key, { range })),
      text.subarray(range.start, range.end + 1),
    );
    const info = await store.stat(key);
    assert.equal(info?.size, text.length);
    assert.equal(info?.sha256, sha256(text));
    const listed = [];
    for await (const entry of store.list("clones/l/bundles/")) listed.push(entry);
    assert.deepEqual(
      listed.map((e) => [e.key, e.size, e.sha256]),
      [[key, text.length, sha256(text)]],
    );
    // Shorter than the cipher's magic.
    await inner.put("clones/l/bundles/2/bundle.tar.gz", body("ab"));
    assert.equal((await readAll(await store.get("clones/l/bundles/2/bundle.tar.gz"))).toString(), "ab");
    assert.equal((await store.stat("clones/l/bundles/2/bundle.tar.gz"))?.size, 2);
  });

  it("stores new writes of that kind encrypted and reads them back", async () => {
    const key = "clones/l/bundles/3/bundle.tar.gz";
    const info = await store.put(key, body(text));
    assert.equal(info.sha256, sha256(text));
    const stored = await readAll(await inner.get(key));
    assert.equal(stored.includes(text.subarray(0, 64)), false);
    assert.equal(stored.subarray(0, 4).toString("latin1"), "ACE1");
    assert.deepEqual(await readAll(await store.get(key)), text);
    assert.equal((await store.stat(key))?.sha256, sha256(text));
    const range = { start: 10, end: SEGMENT_SIZE * 2 };
    assert.deepEqual(
      await readAll(await store.get(key, { range })),
      text.subarray(range.start, range.end + 1),
    );
  });

  it("refuses plaintext in place of a ciphertext of any other kind", async () => {
    const key = "clones/l/sources/s1";
    await inner.put(key, body(text));
    await assert.rejects(readAll(await store.get(key)), /not an encrypted artifact/);
    await assert.rejects(store.get(key, { range: { start: 0, end: 10 } }), /not an encrypted artifact/);
    await assert.rejects(store.stat(key), /not an encrypted artifact/);
  });
});
