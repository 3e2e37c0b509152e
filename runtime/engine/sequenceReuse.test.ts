import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Token } from "node-llama-cpp";
import { reuseScore } from "./llamaEngine.js";

const tokens = (...ids: number[]) => ids as Token[];
const slot = (lastKey: string | undefined, ...cached: number[]) => ({
  lastKey,
  sequence: { contextTokens: tokens(...cached) },
});

describe("which free sequence a request gets (reuseScore)", () => {
  const prompt = tokens(1, 2, 3, 4, 5);

  it("counts the tokens the sequence already holds at the start of the prompt", () => {
    assert.equal(reuseScore(slot(undefined, 1, 2, 3, 9, 9), undefined, prompt), 3);
    assert.equal(reuseScore(slot(undefined, 1, 2, 3, 4, 5, 6, 7), undefined, prompt), 5);
    assert.equal(reuseScore(slot(undefined), undefined, prompt), 0);
    assert.equal(reuseScore(slot(undefined, 7, 2, 3), undefined, prompt), 0);
  });

  it("puts the conversation's own sequence first, whatever the others hold", () => {
    assert.equal(reuseScore(slot("web\u0000a", 9), "web\u0000a", prompt), Number.MAX_SAFE_INTEGER);
    assert.equal(reuseScore(slot("web\u0000b", 1, 2), "web\u0000a", prompt), 2);
  });

  it("gives a request without a key no bonus for a sequence last used without one", () => {
    // Before: every key-less request 'matched' every key-less sequence, so it took the first free one and
    // evaluated its prompt again (first token +174 ms with 8 sequences on SmolLM2).
    assert.equal(reuseScore(slot(undefined, 8, 8), undefined, prompt), 0);
  });
});
