import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { ArtifactTooLargeError } from "./artifactStore.js";
import { meterBody } from "./s3BodyParts.js";

async function* chunks(...sizes: number[]): AsyncGenerator<Uint8Array> {
  let n = 0;
  for (const size of sizes) yield Buffer.alloc(size, n++);
}

async function partsOf(body: AsyncIterable<Uint8Array>, partSize: number, maxBytes?: number) {
  const metered = meterBody(body, { key: "k", partSize, maxBytes });
  const parts: { size: number; last: boolean }[] = [];
  const all: Buffer[] = [];
  for await (const part of metered.parts) {
    parts.push({ size: part.bytes.byteLength, last: part.last });
    all.push(part.bytes);
  }
  return { parts, totals: metered.totals(), whole: Buffer.concat(all) };
}

describe("meterBody", () => {
  it("cuts parts of exactly partSize across chunk boundaries, the rest last", async () => {
    const { parts, totals, whole } = await partsOf(chunks(3, 7, 1, 12), 5);
    assert.deepEqual(parts, [
      { size: 5, last: false },
      { size: 5, last: false },
      { size: 5, last: false },
      { size: 5, last: false },
      { size: 3, last: true },
    ]);
    assert.equal(totals.size, 23);
    assert.equal(totals.sha256, createHash("sha256").update(whole).digest("hex"));
  });

  it("hands out a body of exactly one part as a single last part", async () => {
    const { parts } = await partsOf(chunks(2, 3), 5);
    assert.deepEqual(parts, [{ size: 5, last: true }]);
  });

  it("hands out an empty body as one empty last part", async () => {
    const { parts, totals } = await partsOf(chunks(), 5);
    assert.deepEqual(parts, [{ size: 0, last: true }]);
    assert.equal(totals.sha256, createHash("sha256").digest("hex"));
  });

  it("refuses the chunk that goes past maxBytes", async () => {
    await assert.rejects(partsOf(chunks(4, 4, 4), 5, 10), ArtifactTooLargeError);
  });
});
