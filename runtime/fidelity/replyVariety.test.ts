import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { distinctReplyRatio, hitLimitShare, normaliseReply } from "./replyVariety.js";

describe("reply variety", () => {
  it("normalises case, surrounding and inner whitespace", () => {
    assert.equal(normaliseReply("  Ну   ДА\n ок "), "ну да ок");
  });

  it("counts replies that differ only in case or spacing as one", () => {
    assert.equal(distinctReplyRatio(["Ок", "ок ", " ОК", "ладно"]), 2 / 4);
    assert.equal(distinctReplyRatio(["да", "нет", "может"]), 1);
    assert.equal(distinctReplyRatio(["ок", "ок", "ок", "ок"]), 1 / 4);
    assert.equal(distinctReplyRatio([]), 0);
  });

  it("keeps punctuation apart: 'да!' is not 'да'", () => {
    assert.equal(distinctReplyRatio(["да!", "да"]), 1);
  });

  it("measures the share cut by the token limit", () => {
    const reply = (finishReason: "stop" | "length" | "abort") => ({ finishReason });
    assert.equal(hitLimitShare([reply("length"), reply("stop"), reply("stop"), reply("abort")]), 1 / 4);
    assert.equal(hitLimitShare([reply("length"), reply("length")]), 1);
    assert.equal(hitLimitShare([]), 0);
  });
});
