import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { reciprocalRankFusion } from "./reciprocalRankFusion.js";

const ids = (fused: { key: string }[]) => fused.map((f) => f.key);

describe("reciprocalRankFusion", () => {
  it("ranks an item found by both lists above items found by one", () => {
    const fused = reciprocalRankFusion([
      { items: [{ key: "кошка" }, { key: "собака" }], weight: 1 },
      { items: [{ key: "рыба" }, { key: "кошка" }], weight: 1 },
    ]);
    assert.deepEqual(ids(fused), ["кошка", "рыба", "собака"]);
  });

  it("scores Σ weight / (k + rank), rank from 1", () => {
    const [top] = reciprocalRankFusion(
      [
        { items: [{ key: "a" }], weight: 0.25 },
        { items: [{ key: "b" }, { key: "a" }], weight: 0.75 },
      ],
      { k: 60 },
    );
    assert.equal(top?.key, "a");
    assert.ok(Math.abs((top?.score ?? 0) - (0.25 / 61 + 0.75 / 62)) < 1e-12);
  });

  it("lets the weight decide between two first places", () => {
    const lists = (vectorWeight: number) => [
      { items: [{ key: "fts" }], weight: 1 - vectorWeight },
      { items: [{ key: "vec" }], weight: vectorWeight },
    ];
    assert.equal(reciprocalRankFusion(lists(0.8))[0]?.key, "vec");
    assert.equal(reciprocalRankFusion(lists(0.2))[0]?.key, "fts");
  });

  it("keeps each item's value from the first list that has it, and breaks ties by first appearance", () => {
    const fused = reciprocalRankFusion([
      {
        items: [
          { key: "x", value: "из FTS" },
          { key: "y", value: "y" },
        ],
        weight: 1,
      },
      {
        items: [
          { key: "y", value: "other" },
          { key: "x", value: "из векторов" },
        ],
        weight: 1,
      },
    ]);
    assert.deepEqual(
      fused.map((f) => [f.key, f.value]),
      [
        ["x", "из FTS"],
        ["y", "y"],
      ],
    );
  });

  it("counts a key repeated within one list once, at its best rank", () => {
    const fused = reciprocalRankFusion([{ items: [{ key: "a" }, { key: "a" }, { key: "b" }], weight: 1 }]);
    assert.deepEqual(ids(fused), ["a", "b"]);
    assert.ok(Math.abs((fused[1]?.score ?? 0) - 1 / 63) < 1e-12);
  });

  it("skips lists of weight zero and returns nothing for no input", () => {
    assert.deepEqual(reciprocalRankFusion([]), []);
    assert.deepEqual(ids(reciprocalRankFusion([{ items: [{ key: "a" }], weight: 0 }])), []);
  });
});
