import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { guessLanguage, Language } from "./languageGuess.js";
import { codePointLength } from "./styleAccumulator.js";

const ruWords = new Set(
  "и в не на что я ты он она мы вы они это как да нет но так же ну уже все всё меня тебя тебе мне был была было очень тоже только если когда где здесь сейчас просто может можно надо ещё еще или".split(
    " ",
  ),
);
const ukWords = new Set(
  "і й та не на що я ти він вона ми ви вони це як так але ну вже все мене тебе тобі мені був була було дуже теж тільки якщо коли де тут зараз просто можна треба ще або".split(
    " ",
  ),
);
const enWords = new Set(
  "the a an and or but is are was were be to of in on at for with it this that i you he she we they not no yes do does did have has what how why when where so just can will".split(
    " ",
  ),
);

/** The character-by-character regex version that the cached classification must agree with. */
function referenceGuess(text: string): Language | null {
  const lower = text.toLowerCase();
  let cyrillic = 0;
  let latin = 0;
  let otherLetters = 0;
  let ru = 0;
  let uk = 0;
  let nonEnglishLatin = false;
  for (const ch of lower) {
    if (/\p{Script=Cyrillic}/u.test(ch)) {
      cyrillic++;
      if ("ыэъё".includes(ch)) ru += 2;
      else if ("іїєґ".includes(ch)) uk += 2;
    } else if (/\p{Script=Latin}/u.test(ch)) {
      latin++;
      if (!/[a-z]/.test(ch)) nonEnglishLatin = true;
    } else if (/\p{L}/u.test(ch)) otherLetters++;
  }
  if (cyrillic + latin + otherLetters === 0) return null;
  if (otherLetters > cyrillic && otherLetters > latin) return "other";
  const words = lower.split(/[^\p{L}']+/u).filter(Boolean);
  if (cyrillic >= latin) {
    for (const w of words) {
      if (ruWords.has(w)) ru++;
      if (ukWords.has(w)) uk++;
    }
    return uk > ru ? "uk" : "ru";
  }
  const english = words.filter((w) => enWords.has(w)).length;
  if (nonEnglishLatin && english === 0) return "other";
  return "en";
}

const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.string({ unit: "grapheme", maxLength: 60 }),
  fc
    .array(
      fc.constantFrom("привет ", "і ", "що ", "ёж ", "the ", "café ", "日本 ", "😂", "A", "\ud800", "x "),
      {
        maxLength: 20,
      },
    )
    .map((xs) => xs.join("")),
);

describe("guessLanguage", () => {
  it("agrees with the regex-per-character guess on any text", () => {
    fc.assert(
      fc.property(text, (t) => assert.equal(guessLanguage(t), referenceGuess(t))),
      { numRuns: 1000 },
    );
  });
  it("tells Russian, Ukrainian and English apart", () => {
    assert.equal(guessLanguage("ну что, ещё увидимся?"), "ru");
    assert.equal(guessLanguage("що ти робиш тут"), "uk");
    assert.equal(guessLanguage("what do you think"), "en");
    assert.equal(guessLanguage("123 :)"), null);
  });
});

describe("codePointLength", () => {
  it("counts what spreading the string counts", () => {
    fc.assert(
      fc.property(text, (t) => assert.equal(codePointLength(t), [...t].length)),
      { numRuns: 1000 },
    );
  });
});
