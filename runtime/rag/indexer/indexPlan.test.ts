import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planIndex } from "./indexPlan.js";

const doc = (path: string, sha256: string) => ({ path, sha256, size: 1 });

describe("planIndex", () => {
  it("splits the folder into new, changed, unchanged and removed files", () => {
    const plan = planIndex([doc("а.md", "1"), doc("б.txt", "2"), doc("в.pdf", "3")], {
      "а.md": { sha256: "1", chunks: 2 },
      "б.txt": { sha256: "old", chunks: 1 },
      "г.md": { sha256: "4", chunks: 5 },
    });
    assert.deepEqual(
      plan.unchanged.map((d) => d.path),
      ["а.md"],
    );
    assert.deepEqual(
      plan.toIndex.map((d) => d.path),
      ["б.txt", "в.pdf"],
    );
    assert.deepEqual(plan.removed, ["г.md"]);
  });

  it("indexes everything when nothing is indexed yet", () => {
    const plan = planIndex([doc("a.md", "1")], {});
    assert.deepEqual(
      plan.toIndex.map((d) => d.path),
      ["a.md"],
    );
    assert.deepEqual(plan.removed, []);
  });
});
