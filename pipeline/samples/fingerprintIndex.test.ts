import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { seeded } from "@aiclone/testing/syntheticAuthors";
import { FingerprintIndex } from "./fingerprintIndex.js";
import { type Fingerprint, hammingDistance } from "./simHash.js";

/** 32-bit words from the kit's seeded generator: the same fingerprints every run. */
function random(seed: number): () => number {
  const next = seeded(seed);
  return () => Math.floor(next() * 4294967296) >>> 0;
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

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v !== 0; v &= v - 1) n++;
  return n;
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

  it("holds a few dozen bytes per fingerprint", () => {
    const index = new FingerprintIndex(3);
    const prints = clustered(1_000_000, 7);
    for (const f of prints) index.add(f);
    // Per band 8 bytes an entry, block headers and the unused end of each bucket's newest block, in 256 KiB
    // chunks, plus the bucket tables (1 MiB): ~45 bytes at this count (65,536 buckets of ~15).
    assert.ok(index.bytes / prints.length < 56, `${index.bytes / prints.length} bytes each`);
  });

  it("reads a long bucket in blocks: 2,000 fingerprints in one bucket, none within the distance of another", () => {
    // All share their lowest 16 bits (band 0), so all land in one bucket of that band. Each other band holds
    // the same 16-bit number i, with an even number of bits set: two such numbers differ in at least 2 bits,
    // so two fingerprints in at least 6, and all are kept; each lookup compares against all of them.
    const index = new FingerprintIndex(3);
    const made: Fingerprint[] = [];
    for (let i = 0; made.length < 2000; i++) {
      if (popcount(i) % 2 !== 0) continue;
      const f = { hi: (i * 0x10001) >>> 0, lo: (i << 16) >>> 0 };
      assert.equal(index.hasNear(f), false, `fingerprint ${i}`);
      index.add(f);
      made.push(f);
    }
    for (const f of made) {
      assert.equal(index.hasNear(f), true);
      assert.equal(index.hasNear({ hi: f.hi ^ 0b111, lo: f.lo }), true);
    }
    assert.equal(index.size, made.length);
  });

  it("rejects distances its bands cannot guarantee", () => {
    assert.throws(() => new FingerprintIndex(8), RangeError);
    assert.throws(() => new FingerprintIndex(-1), RangeError);
  });
});
