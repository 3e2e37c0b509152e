import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { casual, formal, messages } from "@aiclone/testing/syntheticAuthors";
import { replyEnding, replyStyle, styleDistance, styleDistanceParts } from "./replyStyle.js";

describe("replyEnding", () => {
  it("classifies the last character", () => {
    assert.equal(replyEnding("Да!"), "exclamation");
    assert.equal(replyEnding("правда?!"), "exclamation");
    assert.equal(replyEnding("Куда?"), "question");
    assert.equal(replyEnding("Хорошо.  "), "period");
    assert.equal(replyEnding("ну не знаю..."), "ellipsis");
    assert.equal(replyEnding("ну не знаю…"), "ellipsis");
    assert.equal(replyEnding("ладно))"), "emoji");
    assert.equal(replyEnding("супер 👍🏽"), "emoji");
    assert.equal(replyEnding("см. выше (стр. 2)"), "other");
    assert.equal(replyEnding("ок"), "other");
    assert.equal(replyEnding("   "), "empty");
  });
});

describe("replyStyle", () => {
  it("profiles a set of replies", () => {
    const style = replyStyle(["привет)", "Как дела?", "ну, ок 😀", "Да!", ""]);
    assert.equal(style.count, 5);
    assert.equal(style.medianLength, 7); // lengths 7, 9, 8 (the emoji is one code point), 3, 0
    assert.equal(style.lowercaseStartShare, 2 / 4);
    assert.equal(style.commaShare, 1 / 5);
    assert.equal(style.emojiShare, 1 / 5);
    assert.equal(style.endings.emoji, 2 / 5);
    assert.equal(style.endings.question, 1 / 5);
    assert.equal(style.endings.exclamation, 1 / 5);
    assert.equal(style.endings.empty, 1 / 5);
    assert.equal(style.emojiPer100Chars, 100 / 27);
  });

  it("has a null median and zero shares for no replies", () => {
    const style = replyStyle([]);
    assert.equal(style.count, 0);
    assert.equal(style.medianLength, null);
    assert.equal(style.lowercaseStartShare, null);
    assert.equal(style.endings.period, 0);
  });
});

describe("styleDistance", () => {
  const owner = replyStyle(messages(casual, 400, 1));

  it("is 0 for identical sets and small for two samples of the same writer", () => {
    const replies = messages(casual, 200, 2);
    assert.equal(styleDistance(replyStyle(replies), replyStyle([...replies].reverse())), 0);
    assert.ok(styleDistance(replyStyle(messages(casual, 400, 3)), owner)! < 0.06);
  });

  it("grows as lowercase starts and endings move away from the owner's", () => {
    const replies = messages(casual, 200, 4);
    const capitalise = (share: number) =>
      replies.map((r, i) => (i < share * replies.length ? r.charAt(0).toUpperCase() + r.slice(1) : r));
    const distances = [0, 0.25, 0.5, 1].map((share) => styleDistance(replyStyle(capitalise(share)), owner)!);
    for (let i = 1; i < distances.length; i++) assert.ok(distances[i]! > distances[i - 1]!, `${distances}`);

    const withPeriods = (share: number) => replies.map((r, i) => (i < share * replies.length ? `${r}.` : r));
    const byEnding = [0, 0.5, 1].map((share) => styleDistance(replyStyle(withPeriods(share)), owner)!);
    for (let i = 1; i < byEnding.length; i++) assert.ok(byEnding[i]! > byEnding[i - 1]!, `${byEnding}`);
  });

  it("keeps every part and the mean in [0, 1], with length as a clipped log ratio", () => {
    const far = replyStyle(messages(formal, 200, 5).map((r) => r.repeat(10)));
    const parts = styleDistanceParts(far, owner)!;
    assert.equal(parts.length, 1);
    for (const v of Object.values(parts)) assert.ok(v !== null && v >= 0 && v <= 1);
    const d = styleDistance(far, owner)!;
    assert.ok(d > 0.5 && d <= 1, `${d}`);
    const twice = styleDistanceParts(replyStyle(["aaaaaaa"]), replyStyle(["aaa"]))!;
    assert.equal(twice.length, 0.5); // (7 + 1) / (3 + 1) = 2
  });

  it("is null when a side has no replies", () => {
    assert.equal(styleDistance(replyStyle([]), owner), null);
    assert.equal(styleDistance(owner, replyStyle([])), null);
  });
});
