import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DigestSet } from "./digestSet.js";

describe("DigestSet", () => {
  it("remembers 64-bit digests through its growth, and nothing else", () => {
    const set = new DigestSet();
    const added = new Set<string>();
    let x = 12345;
    const next = () => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x;
    };
    for (let i = 0; i < 50_000; i++) {
      const hi = next() & 0xfff; // few distinct high words: the low word must tell them apart
      const lo = next();
      const isNew = set.add(hi, lo);
      assert.equal(isNew, !added.has(`${hi}:${lo}`));
      added.add(`${hi}:${lo}`);
    }
    assert.equal(set.size, added.size);
    for (const key of added) {
      const [hi, lo] = key.split(":").map(Number) as [number, number];
      assert.equal(set.has(hi, lo), true);
    }
    assert.equal(set.has(0x1000, 1), false);
  });

  it("keeps the all-zero digest apart from an empty slot", () => {
    const set = new DigestSet();
    assert.equal(set.has(0, 0), false);
    assert.equal(set.add(0, 0), true);
    assert.equal(set.has(0, 0), true);
    assert.equal(set.add(0, 0), false);
    assert.equal(set.size, 1);
  });

  it("grows a shard at a time: one digest added never grows the table by more than a tenth", () => {
    const set = new DigestSet();
    let largest = 0;
    for (let i = 0; i < 400_000; i++) {
      const before = set.bytes;
      set.add(Math.imul(i, 0x9e3779b1) >>> 0, i);
      if (before >= 1 << 20) largest = Math.max(largest, (set.bytes - before) / before);
    }
    assert.ok(largest > 0, "the table grew past 1 MB");
    assert.ok(largest <= 0.1, `one add grew the table by ${(largest * 100).toFixed(0)} %`);
  });

  it("holds at most 22 bytes per digest", () => {
    const set = new DigestSet();
    for (let i = 0; i < 100_000; i++) set.add(i * 7919, i);
    assert.ok(set.bytes / set.size <= 22, `${set.bytes / set.size} bytes each`);
  });
});
