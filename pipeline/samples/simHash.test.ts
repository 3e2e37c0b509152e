import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { Fingerprint, hammingDistance, simHash } from "./simHash.js";

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The straightforward SimHash (64 signed weights, ±1 per bit per shingle) that simHash must equal. */
function referenceSimHash(text: string): Fingerprint {
  const weights = new Int32Array(64);
  const count = Math.max(1, text.length - 4);
  for (let i = 0; i < count; i++) {
    let h = 0x811c9dc5;
    for (let j = i; j < Math.min(text.length, i + 5); j++) {
      h ^= text.charCodeAt(j);
      h = Math.imul(h, 0x01000193);
    }
    const lo = fmix32(h);
    const hi = fmix32(h ^ 0x9e3779b9);
    for (let b = 0; b < 32; b++) {
      weights[b]! += (lo >>> b) & 1 ? 1 : -1;
      weights[b + 32]! += (hi >>> b) & 1 ? 1 : -1;
    }
  }
  let lo = 0;
  let hi = 0;
  for (let b = 0; b < 32; b++) {
    if (weights[b]! > 0) lo |= 1 << b;
    if (weights[b + 32]! > 0) hi |= 1 << b;
  }
  return { hi: hi >>> 0, lo: lo >>> 0 };
}

describe("simHash", () => {
  it("equals the per-bit weight SimHash on any text, short, long, Cyrillic or astral", () => {
    const text = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.string({ unit: "grapheme", maxLength: 300 }),
      fc.string({ unit: "binary", maxLength: 3000 }),
      fc
        .array(fc.constantFrom("привет ", "как дела? ", "ок ", "😂", "\n"), { maxLength: 400 })
        .map((xs) => xs.join("")),
    );
    fc.assert(
      fc.property(text, (t) => assert.deepEqual(simHash(t), referenceSimHash(t))),
      { numRuns: 500 },
    );
  });
  it("puts near texts close and different texts far", () => {
    const a = "Слушай, я завтра не смогу прийти на встречу, давай перенесём на пятницу";
    assert.ok(hammingDistance(simHash(a), simHash(`${a}!`)) <= 3);
    assert.ok(hammingDistance(simHash(a), simHash("Совсем другой разговор про кино в субботу")) > 10);
  });
});
