import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { countEmoji } from "./emojiCount.js";
import { guessLanguage } from "./languageGuess.js";
import { startsLowercase } from "./letterCase.js";
import { messageEnding } from "./messageEnding.js";
import { styleProfile } from "./profileTexts.js";
import { ReservoirMedian } from "./reservoirMedian.js";
import { StyleAccumulator } from "./styleAccumulator.js";

describe("style traits of one message", () => {
  it("counts emoji as graphemes", () => {
    assert.equal(countEmoji("привет 😀😀"), 2);
    assert.equal(countEmoji("👨‍👩‍👧 семья"), 1);
    assert.equal(countEmoji("👍🏽"), 1);
    assert.equal(countEmoji("нет эмодзи :)"), 0);
  });
  it("classifies endings", () => {
    assert.equal(messageEnding("ок."), "period");
    assert.equal(messageEnding("ура!"), "exclamation");
    assert.equal(messageEnding("как ты?"), "question");
    assert.equal(messageEnding("ну…"), "ellipsis");
    assert.equal(messageEnding("ну..."), "ellipsis");
    assert.equal(messageEnding("привет))"), "smiley");
    assert.equal(messageEnding("грустно(("), "smiley");
    assert.equal(messageEnding("привет"), "none");
    assert.equal(messageEnding("см. (выше)"), "none");
    assert.equal(messageEnding("го 😀"), "other");
  });
  it("finds the first letter's case, Cyrillic included", () => {
    assert.equal(startsLowercase("привет"), true);
    assert.equal(startsLowercase("Привет"), false);
    assert.equal(startsLowercase("123 ok"), true);
    assert.equal(startsLowercase("😀 Hi"), false);
    assert.equal(startsLowercase("123"), null);
  });
  it("guesses ru / uk / en / other", () => {
    assert.equal(guessLanguage("привет, как дела? что делаешь"), "ru");
    assert.equal(guessLanguage("привіт, що робиш? як справи"), "uk");
    assert.equal(guessLanguage("hey, what are you doing"), "en");
    assert.equal(guessLanguage("ok"), "en");
    assert.equal(guessLanguage("¿qué tal, señor?"), "other");
    assert.equal(guessLanguage("你好吗"), "other");
    assert.equal(guessLanguage("))) 👍"), null);
  });
});

describe("ReservoirMedian", () => {
  it("is exact within capacity", () => {
    const m = new ReservoirMedian(10);
    for (const v of [5, 1, 3]) m.add(v);
    assert.equal(m.median(), 3);
    m.add(10);
    assert.equal(m.median(), 4);
    assert.equal(new ReservoirMedian().median(), null);
  });
  it("estimates beyond capacity", () => {
    const m = new ReservoirMedian(500);
    for (let i = 0; i < 100_000; i++) m.add(i % 1000);
    assert.ok(Math.abs(m.median()! - 500) < 100, String(m.median()));
  });
});

describe("styleProfile", () => {
  it("gives known numbers on a known list", () => {
    const profile = styleProfile(["привет)", "Как дела?", "ок", "hello there 😀😀", "норм."]);
    assert.equal(profile.messages, 5);
    assert.equal(profile.medianLength, 7);
    assert.equal(profile.emojiPerMessage, 2 / 5);
    assert.equal(profile.emojiMessageShare, 1 / 5);
    assert.equal(profile.lowercaseStartShare, 4 / 5);
    assert.equal(profile.endings.smiley, 1 / 5);
    assert.equal(profile.endings.question, 1 / 5);
    assert.equal(profile.endings.none, 1 / 5);
    assert.equal(profile.endings.other, 1 / 5);
    assert.equal(profile.endings.period, 1 / 5);
    assert.equal(profile.languages.ru, 4 / 5);
    assert.equal(profile.languages.en, 1 / 5);
    assert.equal(profile.burstShare, 0);
  });
  it("counts bursts per message and per turn", () => {
    const acc = new StyleAccumulator();
    acc.addTurn(["a", "b", "c"]);
    acc.addTurn(["d"]);
    const profile = acc.profile();
    assert.equal(profile.burstShare, 3 / 4);
    assert.equal(profile.burstTurnShare, 1 / 2);
  });
  it("splits generated turns into messages on request", () => {
    const profile = styleProfile(["да\nконечно)", "нет"], { splitTurnsOn: "\n" });
    assert.equal(profile.messages, 3);
    assert.equal(profile.burstShare, 2 / 3);
  });
  it("is all zeros on nothing", () => {
    const profile = styleProfile([]);
    assert.equal(profile.messages, 0);
    assert.equal(profile.medianLength, null);
    assert.equal(profile.emojiPerMessage, 0);
  });
});
