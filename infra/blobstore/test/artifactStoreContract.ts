/**
 * The behaviour every artifact-store adapter must show; run against each adapter. Keys carry a random
 * prefix per test, so the suite can share one bucket (S3) with other runs.
 */
import assert from "node:assert/strict";
import { createHash, randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import {
  ArtifactChecksumError,
  type ArtifactInfo,
  ArtifactNotFoundError,
  type ArtifactStore,
  ArtifactTooLargeError,
  InvalidArtifactKeyError,
} from "../artifactStore.js";

export interface ArtifactStoreFixture {
  store: ArtifactStore;
  cleanup(): Promise<void>;
}

const MiB = 1024 * 1024;
const CHUNK = 64 * 1024;

/** Deterministic bytes, one chunk at a time, so a large body never sits in memory whole. */
async function* generatedBody(totalBytes: number, seed = 1, delayMs = 0): AsyncGenerator<Uint8Array> {
  let state = seed;
  for (let sent = 0; sent < totalBytes; sent += CHUNK) {
    // CHUNK is a multiple of 4; only the last chunk is cut short, after filling it whole.
    const chunk = Buffer.allocUnsafe(CHUNK);
    for (let i = 0; i < CHUNK; i += 4) {
      // xorshift32: cheap, and unlike a repeating pattern it makes a misplaced chunk change the hash.
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      chunk.writeUInt32LE(state >>> 0, i);
    }
    if (delayMs > 0) await sleep(delayMs);
    yield chunk.subarray(0, Math.min(CHUNK, totalBytes - sent));
  }
}

async function sha256Of(source: AsyncIterable<Uint8Array>): Promise<{ sha256: string; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of source) {
    hash.update(chunk);
    size += chunk.byteLength;
  }
  return { sha256: hash.digest("hex"), size };
}

async function readAll(source: AsyncIterable<Uint8Array | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

async function* bodyOf(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === "string" ? Buffer.from(part, "utf8") : part;
}

async function listAll(store: ArtifactStore, prefix: string): Promise<ArtifactInfo[]> {
  const all: ArtifactInfo[] = [];
  for await (const info of store.list(prefix)) all.push(info);
  return all;
}

const sha256Hex = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");

export function artifactStoreContract(name: string, open: () => Promise<ArtifactStoreFixture>): void {
  describe(`artifact store contract: ${name}`, () => {
    let fixture: ArtifactStoreFixture;
    let store: ArtifactStore;
    before(async () => {
      fixture = await open();
      store = fixture.store;
    });
    after(async () => fixture.cleanup());
    const prefix = () => `contract/${randomUUID()}/`;

    /** Nothing may be visible under the key or its prefix after a failed put. */
    const assertNothingUnder = async (base: string, key: string) => {
      assert.equal(await store.stat(key), null);
      assert.deepEqual(await listAll(store, base), []);
      await assert.rejects(store.get(key), ArtifactNotFoundError);
    };

    it("streams a multi-megabyte body in and out with its size and sha256", async () => {
      const key = `${prefix()}big.bin`;
      const size = 20 * MiB + 123;
      const expected = await sha256Of(generatedBody(size, 7));
      const before = Date.now();
      const info = await store.put(key, generatedBody(size, 7), { contentType: "application/octet-stream" });
      assert.equal(info.key, key);
      assert.equal(info.size, size);
      assert.equal(info.sha256, expected.sha256);
      assert.ok(Date.parse(info.createdAt) >= before - 1_000, info.createdAt);
      assert.deepEqual(await store.stat(key), info);
      assert.deepEqual(await sha256Of(await store.get(key)), expected);
    });

    it("reads an inclusive byte range, clamped to the end", async () => {
      const key = `${prefix()}range.txt`;
      await store.put(key, bodyOf("0123456789"));
      assert.equal((await readAll(await store.get(key, { range: { start: 2, end: 5 } }))).toString(), "2345");
      assert.equal((await readAll(await store.get(key, { range: { start: 7 } }))).toString(), "789");
      assert.equal((await readAll(await store.get(key, { range: { start: 9, end: 100 } }))).toString(), "9");
      assert.equal((await readAll(await store.get(key, { range: { start: 0, end: 0 } }))).toString(), "0");
      await assert.rejects(store.get(key, { range: { start: 5, end: 4 } }), RangeError);
      await assert.rejects(store.get(key, { range: { start: 10 } }), RangeError);
    });

    it("reads a range from the middle of a large body", async () => {
      const key = `${prefix()}big-range.bin`;
      const size = 3 * MiB;
      await store.put(key, generatedBody(size, 3));
      const whole = await readAll(generatedBody(size, 3));
      const start = MiB + 17;
      const end = 2 * MiB + 5;
      const part = await readAll(await store.get(key, { range: { start, end } }));
      assert.ok(part.equals(whole.subarray(start, end + 1)));
    });

    it("overwrites an artifact, content and metadata together", async () => {
      const key = `${prefix()}doc.txt`;
      await store.put(key, bodyOf("first version, longer"), { contentType: "text/plain" });
      const second = await store.put(key, bodyOf("second"), { contentType: "text/markdown" });
      assert.equal(second.size, 6);
      assert.equal(second.sha256, sha256Hex("second"));
      assert.deepEqual(await store.stat(key), second);
      assert.equal((await readAll(await store.get(key))).toString(), "second");
      assert.equal((await listAll(store, key)).length, 1);
    });

    it("stores an empty body", async () => {
      const key = `${prefix()}empty`;
      const info = await store.put(key, bodyOf());
      assert.equal(info.size, 0);
      assert.equal(info.sha256, sha256Hex(""));
      assert.equal((await readAll(await store.get(key))).length, 0);
    });

    it("preserves the content type, and leaves it out when none was given", async () => {
      const base = prefix();
      await store.put(`${base}typed`, bodyOf("{}"), { contentType: "application/json; charset=utf-8" });
      await store.put(`${base}untyped`, bodyOf("x"));
      assert.equal((await store.stat(`${base}typed`))?.contentType, "application/json; charset=utf-8");
      assert.equal((await store.stat(`${base}untyped`))?.contentType, undefined);
      const listed = await listAll(store, base);
      assert.equal(listed[0]?.contentType, "application/json; charset=utf-8");
    });

    it("round-trips Cyrillic and emoji text byte for byte", async () => {
      const key = `${prefix()}text.txt`;
      const text = "Привіт, світе! Їжак і ґудзик 👋🏽🦔\n".repeat(1000);
      // Split inside multi-byte characters, so no adapter may decode and re-encode chunks on the way.
      const bytes = Buffer.from(text, "utf8");
      const info = await store.put(key, bodyOf(bytes.subarray(0, 1001), bytes.subarray(1001)), {
        contentType: "text/plain; charset=utf-8",
      });
      assert.equal(info.size, bytes.length);
      assert.equal(info.sha256, sha256Hex(bytes));
      assert.equal((await readAll(await store.get(key))).toString("utf8"), text);
    });

    it("accepts a matching expectedSha256", async () => {
      const key = `${prefix()}checked`;
      const info = await store.put(key, bodyOf("payload"), { expectedSha256: sha256Hex("payload") });
      assert.equal(info.sha256, sha256Hex("payload"));
    });

    it("refuses a body over maxBytes and leaves nothing behind", async () => {
      const base = prefix();
      const key = `${base}too-big.bin`;
      await assert.rejects(
        store.put(key, generatedBody(5 * MiB), { maxBytes: MiB }),
        (error: unknown) => error instanceof ArtifactTooLargeError && error.maxBytes === MiB,
      );
      await assertNothingUnder(base, key);
      const exact = await store.put(key, generatedBody(MiB), { maxBytes: MiB });
      assert.equal(exact.size, MiB);
    });

    it("stops reading the body once maxBytes is exceeded", async () => {
      const key = `${prefix()}stop.bin`;
      let chunksRead = 0;
      async function* endless(): AsyncGenerator<Uint8Array> {
        for (;;) {
          chunksRead++;
          yield Buffer.alloc(CHUNK);
        }
      }
      await assert.rejects(store.put(key, endless(), { maxBytes: 4 * CHUNK }), ArtifactTooLargeError);
      assert.ok(chunksRead < 100, `read ${chunksRead} chunks`);
    });

    it("keeps an existing artifact when a replacing put fails", async () => {
      const key = `${prefix()}kept`;
      const original = await store.put(key, bodyOf("original"));
      await assert.rejects(store.put(key, bodyOf("much too long"), { maxBytes: 8 }), ArtifactTooLargeError);
      await assert.rejects(
        store.put(key, bodyOf("other"), { expectedSha256: sha256Hex("x") }),
        ArtifactChecksumError,
      );
      assert.deepEqual(await store.stat(key), original);
      assert.equal((await readAll(await store.get(key))).toString(), "original");
    });

    it("refuses a body whose sha256 differs from expectedSha256 and leaves nothing behind", async () => {
      const base = prefix();
      const key = `${base}bad-sum.bin`;
      const expected = sha256Hex("something else");
      await assert.rejects(
        store.put(key, generatedBody(2 * MiB), { expectedSha256: expected }),
        (error: unknown) => error instanceof ArtifactChecksumError && error.expected === expected,
      );
      await assertNothingUnder(base, key);
    });

    it("stops on an abort signal mid-stream and leaves nothing behind", async () => {
      const base = prefix();
      const key = `${base}aborted.bin`;
      const controller = new AbortController();
      let chunks = 0;
      async function* slowBody(): AsyncGenerator<Uint8Array> {
        for await (const chunk of generatedBody(10 * MiB, 5, 2)) {
          if (++chunks === 5) controller.abort();
          yield chunk;
        }
      }
      await assert.rejects(store.put(key, slowBody(), { signal: controller.signal }), { name: "AbortError" });
      assert.ok(chunks < 40, `read ${chunks} chunks after the abort`);
      await assertNothingUnder(base, key);
    });

    it("refuses to start with an already aborted signal", async () => {
      const base = prefix();
      const key = `${base}pre-aborted`;
      await assert.rejects(store.put(key, bodyOf("x"), { signal: AbortSignal.abort() }), {
        name: "AbortError",
      });
      await assertNothingUnder(base, key);
    });

    it("propagates an error thrown by the body and leaves nothing behind", async () => {
      const base = prefix();
      const key = `${base}broken`;
      async function* broken(): AsyncGenerator<Uint8Array> {
        yield Buffer.alloc(CHUNK);
        throw new Error("upload connection reset");
      }
      await assert.rejects(store.put(key, broken()), /upload connection reset/);
      await assertNothingUnder(base, key);
    });

    it("refuses invalid keys everywhere", async () => {
      const bad = [
        "../x",
        "a/../b",
        "/abs",
        "a//b",
        "",
        "a/",
        "a/./b",
        ".",
        "..",
        "has space",
        "ключ",
        "a\\b",
        "x~y",
      ];
      bad.push("k".repeat(1025));
      for (const key of bad) {
        const label = JSON.stringify(key).slice(0, 40);
        await assert.rejects(store.put(key, bodyOf("x")), InvalidArtifactKeyError, label);
        await assert.rejects(store.get(key), InvalidArtifactKeyError, label);
        await assert.rejects(store.stat(key), InvalidArtifactKeyError, label);
        await assert.rejects(store.delete(key), InvalidArtifactKeyError, label);
      }
      await assert.rejects(listAll(store, "../"), InvalidArtifactKeyError);
      await assert.rejects(listAll(store, "/abs"), InvalidArtifactKeyError);
      await assert.rejects(store.deletePrefix(""), InvalidArtifactKeyError);
      await assert.rejects(store.deletePrefix("a//"), InvalidArtifactKeyError);
    });

    it("accepts the whole key alphabet, and names that look like dot files", async () => {
      const base = prefix();
      const keys = [
        `${base}A-z_0.9`,
        `${base}.tmp/x`,
        `${base}..hidden`,
        `${base}x.meta.json`,
        `${base}.tmp`,
      ];
      for (const key of keys) await store.put(key, bodyOf(key));
      for (const key of keys) assert.equal((await readAll(await store.get(key))).toString(), key);
      assert.deepEqual(
        (await listAll(store, base)).map((i) => i.key),
        [...keys].sort(),
      );
    });

    it("lets one key be an artifact and the prefix of others", async () => {
      const base = prefix();
      await store.put(`${base}a`, bodyOf("parent"));
      await store.put(`${base}a/b`, bodyOf("child"));
      assert.equal((await readAll(await store.get(`${base}a`))).toString(), "parent");
      assert.equal((await readAll(await store.get(`${base}a/b`))).toString(), "child");
      assert.equal(await store.delete(`${base}a`), true);
      assert.equal((await readAll(await store.get(`${base}a/b`))).toString(), "child");
    });

    it("fails with ArtifactNotFoundError for an unknown key", async () => {
      const key = `${prefix()}nothing-here`;
      await assert.rejects(
        store.get(key),
        (error: unknown) => error instanceof ArtifactNotFoundError && error.key === key,
      );
      assert.equal(await store.stat(key), null);
    });

    it("delete says whether something was deleted", async () => {
      const key = `${prefix()}gone`;
      assert.equal(await store.delete(key), false);
      await store.put(key, bodyOf("x"));
      assert.equal(await store.delete(key), true);
      assert.equal(await store.delete(key), false);
      assert.equal(await store.stat(key), null);
      await assert.rejects(store.get(key), ArtifactNotFoundError);
    });

    it("lists only keys under the prefix, sorted, matching the prefix as text", async () => {
      const base = prefix();
      const keys = [
        `${base}b/2`,
        `${base}a`,
        `${base}b/1`,
        `${base}b-c`,
        `${base}bc/x`,
        `${base}b/sub/deep`,
        `${base}b`,
      ];
      for (const key of keys) await store.put(key, bodyOf(key));
      await store.put(`${prefix()}b/1`, bodyOf("elsewhere"));
      const listed = async (p: string) => (await listAll(store, p)).map((i) => i.key);
      assert.deepEqual(await listed(base), [...keys].sort());
      assert.deepEqual(await listed(`${base}b/`), [`${base}b/1`, `${base}b/2`, `${base}b/sub/deep`]);
      assert.deepEqual(await listed(`${base}b`), [
        `${base}b`,
        `${base}b-c`,
        `${base}b/1`,
        `${base}b/2`,
        `${base}b/sub/deep`,
        `${base}bc/x`,
      ]);
      assert.deepEqual(await listed(`${base}zzz`), []);
      const info = (await listAll(store, `${base}a`))[0];
      assert.equal(info?.size, Buffer.byteLength(`${base}a`));
      assert.equal(info?.sha256, sha256Hex(`${base}a`));
    });

    it("deletePrefix deletes every key under the prefix and counts them", async () => {
      const base = prefix();
      const other = prefix();
      for (const key of ["x/1", "x/2", "x/y/3", "xy", "z"]) await store.put(`${base}${key}`, bodyOf(key));
      await store.put(`${other}x/1`, bodyOf("keep"));
      assert.equal(await store.deletePrefix(`${base}x/`), 3);
      assert.deepEqual(
        (await listAll(store, base)).map((i) => i.key),
        [`${base}xy`, `${base}z`],
      );
      assert.equal(await store.deletePrefix(`${base}x/`), 0);
      assert.equal(await store.deletePrefix(base), 2);
      assert.deepEqual(await listAll(store, base), []);
      assert.notEqual(await store.stat(`${other}x/1`), null);
      // A key whose directory was emptied by the deletes can be written again.
      await store.put(`${base}x/y/3`, bodyOf("again"));
      assert.equal((await readAll(await store.get(`${base}x/y/3`))).toString(), "again");
    });

    it("serves concurrent puts of one key with one of them, whole", async () => {
      const key = `${prefix()}raced`;
      const bodies = ["a".repeat(1000), "b".repeat(2000), "c".repeat(3000), "d".repeat(4000)];
      await Promise.all(bodies.map((b) => store.put(key, bodyOf(b))));
      const content = (await readAll(await store.get(key))).toString();
      assert.ok(bodies.includes(content));
      const info = await store.stat(key);
      assert.equal(info?.size, content.length);
      assert.equal(info?.sha256, sha256Hex(content));
    });
  });
}
