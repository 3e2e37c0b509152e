import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { countEmoji } from "./emojiCount.js";

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** Every grapheme of the whole text, tested one by one: what countEmoji must equal. */
function referenceCount(text: string): number {
  let count = 0;
  for (const { segment } of segmenter.segment(text)) if (/\p{Extended_Pictographic}/u.test(segment)) count++;
  return count;
}

const pieces = [
  "ахах ",
  "да",
  "ok ",
  "😂",
  "👍🏽",
  "👨\u200d👩\u200d👧",
  "\u200d",
  "\ufe0f",
  "\u0301",
  "🇷🇺",
  "🇷",
  "❤",
  "©",
  "\n",
  "\r",
  "е\u0308",
  "ก\u0e33",
  "각",
  "\u1100",
  "\u0600",
  "\u0903",
];

describe("countEmoji", () => {
  it("counts what segmenting the whole text counts, whatever precedes the first emoji", () => {
    const text = fc.oneof(
      fc.array(fc.constantFrom(...pieces), { maxLength: 24 }).map((xs) => xs.join("")),
      fc.string({ unit: "grapheme", maxLength: 40 }),
      fc.string({ unit: "binary", maxLength: 40 }),
    );
    fc.assert(
      fc.property(text, (t) => assert.equal(countEmoji(t), referenceCount(t))),
      { numRuns: 2000 },
    );
  });
  it("counts a ZWJ family or a skin tone as one emoji", () => {
    assert.equal(countEmoji("привет 👨‍👩‍👧 и 👍🏽!"), 2);
    assert.equal(countEmoji("без смайлов"), 0);
  });
});
