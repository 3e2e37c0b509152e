import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import {
  CiphertextError,
  decryptChunks,
  decryptRange,
  encryptChunks,
  HEADER_SIZE,
  plainSize,
  planRange,
  SEGMENT_SIZE,
  sealedSha256,
  sealedSize,
  TRAILER_SIZE,
} from "./segmentedCipher.js";

const key = randomBytes(32);

async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
async function collect(source: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of source) parts.push(part);
  return Buffer.concat(parts);
}
const seal = (plain: Buffer, name = "clones/c1/sources/s1", chunk = 10_000) =>
  collect(encryptChunks(key, name, chunked(plain, chunk)));
const open = (sealed: Buffer, name = "clones/c1/sources/s1", k = key, chunk = 7_777) =>
  collect(decryptChunks(k, name, chunked(sealed, chunk)));

describe("segmented AES-256-GCM for artifacts", () => {
  const sizes = [0, 1, SEGMENT_SIZE - 1, SEGMENT_SIZE, SEGMENT_SIZE + 1, 3 * SEGMENT_SIZE + 12_345];
  for (const size of sizes)
    it(`round-trips ${size} bytes, in any chunking, with the size the layout predicts`, async () => {
      const plain = randomBytes(size);
      const sealed = await seal(plain, undefined, 1 + (size % 9_000));
      assert.equal(sealed.length, sealedSize(size));
      assert.equal(plainSize(sealed.length), size);
      assert.deepEqual(await open(sealed, undefined, key, 1 + (size % 5_000)), plain);
    });

  it("leaves no plaintext in the ciphertext, and two encryptions of the same bytes differ", async () => {
    const plain = Buffer.from("Привет, это мой личный чат. ".repeat(4000));
    const [a, b] = [await seal(plain), await seal(plain)];
    assert.equal(a.includes(Buffer.from("личный")), false);
    assert.notDeepEqual(a, b);
  });

  it("refuses a flipped byte, a wrong key, another artifact name, a dropped or reordered segment", async () => {
    const plain = randomBytes(3 * SEGMENT_SIZE + 100);
    const sealed = await seal(plain);
    const flipped = Buffer.from(sealed);
    flipped[HEADER_SIZE + SEGMENT_SIZE + 40] = (flipped[HEADER_SIZE + SEGMENT_SIZE + 40] ?? 0) ^ 1;
    await assert.rejects(open(flipped), CiphertextError);
    await assert.rejects(open(sealed, undefined, randomBytes(32)), CiphertextError);
    await assert.rejects(open(sealed, "clones/c2/sources/s1"), CiphertextError, "moved to another name");
    const seg = SEGMENT_SIZE + 16;
    // Truncated at a segment boundary: the remaining last segment is not flagged as last.
    await assert.rejects(open(sealed.subarray(0, HEADER_SIZE + 2 * seg)), CiphertextError);
    const swapped = Buffer.concat([
      sealed.subarray(0, HEADER_SIZE),
      sealed.subarray(HEADER_SIZE + seg, HEADER_SIZE + 2 * seg),
      sealed.subarray(HEADER_SIZE, HEADER_SIZE + seg),
      sealed.subarray(HEADER_SIZE + 2 * seg),
    ]);
    await assert.rejects(open(swapped), CiphertextError);
    await assert.rejects(open(sealed.subarray(0, 10)), CiphertextError, "cut inside the header");
    const trailer = Buffer.from(sealed);
    trailer[trailer.length - 20] = (trailer[trailer.length - 20] ?? 0) ^ 1;
    await assert.rejects(open(trailer), CiphertextError, "a tampered trailer");
  });

  it("records the plaintext's sha256 in a sealed trailer", async () => {
    const plain = randomBytes(SEGMENT_SIZE + 5);
    const sealed = await seal(plain);
    const name = "clones/c1/sources/s1";
    assert.equal(
      sealedSha256(key, name, sealed.subarray(0, HEADER_SIZE), sealed.subarray(sealed.length - TRAILER_SIZE)),
      createHash("sha256").update(plain).digest("hex"),
    );
  });

  it("decrypts any byte range from just the segments that hold it", async () => {
    const plain = randomBytes(4 * SEGMENT_SIZE + 999);
    const sealed = await seal(plain);
    const ranges = [
      [0, 0],
      [0, SEGMENT_SIZE - 1],
      [SEGMENT_SIZE - 3, SEGMENT_SIZE + 3],
      [SEGMENT_SIZE * 2 + 5, SEGMENT_SIZE * 4 + 100],
      [plain.length - 1, plain.length + 50],
      [123, plain.length - 1],
    ] as const;
    for (const [start, end] of ranges) {
      const plan = planRange(sealed.length, start, end);
      const segments = chunked(sealed.subarray(plan.cipherStart, plan.cipherEnd + 1), 5_000);
      const got = await collect(
        decryptRange(key, "clones/c1/sources/s1", sealed.subarray(0, HEADER_SIZE), plan, segments),
      );
      assert.deepEqual(got, plain.subarray(start, end + 1), `range ${start}-${end}`);
      assert.ok(
        plan.cipherEnd - plan.cipherStart < (plan.lastSegment - plan.firstSegment + 1) * (SEGMENT_SIZE + 16),
      );
    }
    // A segment from the middle cannot pass as the last one.
    const plan = { ...planRange(sealed.length, 0, 10), finalSegment: 0 };
    const segments = chunked(sealed.subarray(plan.cipherStart, plan.cipherEnd + 1), 5_000);
    await assert.rejects(
      collect(decryptRange(key, "clones/c1/sources/s1", sealed.subarray(0, HEADER_SIZE), plan, segments)),
      CiphertextError,
    );
  });
});
