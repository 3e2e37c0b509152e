import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FingerprintIndex } from "./fingerprintIndex.js";
import { type Fingerprint, hammingDistance } from "./simHash.js";

/** mulberry32: the same fingerprints every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Fingerprints in clusters: bases, and copies of them with 0–9 random bits flipped. */
function clustered(count: number, seed: number): Fingerprint[] {
  const next = random(seed);
  const bases: Fingerprint[] = [];
  const out: Fingerprint[] = [];
  for (let i = 0; i < count; i++) {
    if (bases.length === 0 || next() % 4 === 0) {
      const base = { hi: next(), lo: next() };
      bases.push(base);
      out.push(base);
      continue;
    }
    const base = bases[next() % bases.length]!;
    let { hi, lo } = base;
    for (let flips = next() % 10; flips > 0; flips--) {
      const bit = next() % 64;
      if (bit < 32) lo = (lo ^ (1 << bit)) >>> 0;
      else hi = (hi ^ (1 << (bit - 32))) >>> 0;
    }
    out.push({ hi, lo });
  }
  return out;
}

describe("FingerprintIndex", () => {
  for (let distance = 0; distance <= 7; distance++) {
    it(`answers as a scan of every fingerprint would, at distance ${distance}`, () => {
      const index = new FingerprintIndex(distance);
      const kept: Fingerprint[] = [];
      let near = 0;
      // Enough to make the tables grow several times.
      for (const f of clustered(6000, 1000 + distance)) {
        const expected = kept.some((k) => hammingDistance(k, f) <= distance);
        assert.equal(index.hasNear(f), expected, `fingerprint ${kept.length}: ${f.hi}:${f.lo}`);
        if (expected) near++;
        else {
          index.add(f);
          kept.push(f);
        }
      }
      assert.equal(index.size, kept.length);
      // The clusters make both answers common, so the comparison above means something.
      assert.ok(near > 300 && kept.length > 1000, `near ${near}, kept ${kept.length}`);
    });
  }

  it("finds a fingerprint whose differences fall in every band but one", () => {
    // Distance 3: four bands of 16 bits; flip one bit in each of three bands.
    const index = new FingerprintIndex(3);
    index.add({ hi: 0, lo: 0 });
    assert.equal(index.hasNear({ hi: 1 << 16, lo: (1 << 0) | (1 << 16) }), true);
    assert.equal(index.hasNear({ hi: (1 << 0) | (1 << 16), lo: (1 << 0) | (1 << 16) }), false);
  });

  it("holds a few bytes per fingerprint", () => {
    const index = new FingerprintIndex(3);
    const prints = clustered(100_000, 7);
    for (const f of prints) index.add(f);
    // 24 bytes an entry in 16 Ki-entry chunks, plus the bucket tables (1 MiB at this count).
    assert.ok(index.bytes / prints.length < 40, `${index.bytes / prints.length} bytes each`);
  });

  it("rejects distances its bands cannot guarantee", () => {
    assert.throws(() => new FingerprintIndex(8), RangeError);
    assert.throws(() => new FingerprintIndex(-1), RangeError);
  });
});
