import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  languageMismatch,
  languageWarning,
  ownerLanguages,
  servesLanguage,
  styleProfileLanguageShares,
} from "./languageFit.js";

const englishOnly = { languages: ["en"] };
const multilingual = { languages: ["zh", "en", "fr", "de", "ru"] };

describe("language fit of a base model to the owner", () => {
  it("takes the most used language and every other with at least 20% of the messages", () => {
    assert.deepEqual(ownerLanguages({ ru: 0.8, uk: 0, en: 0.2, other: 0 }), [
      { language: "ru", share: 0.8 },
      { language: "en", share: 0.2 },
    ]);
    assert.deepEqual(
      ownerLanguages({ ru: 0.05, en: 0.9, other: 0.05 }).map((o) => o.language),
      ["en"],
    );
    // The top one counts even when no language reaches 20%.
    assert.deepEqual(
      ownerLanguages({ ru: 0.15, en: 0.1, uk: 0.1 }).map((o) => o.language),
      ["ru"],
    );
    assert.deepEqual(ownerLanguages({ ru: 0, en: 0 }), []);
    assert.deepEqual(ownerLanguages(null), []);
  });

  it("warns when an English-only model meets a Russian-writing owner", () => {
    const mismatch = languageMismatch(englishOnly, { ru: 0.8, uk: 0, en: 0.2, other: 0 });
    assert.deepEqual(mismatch?.unserved, ["ru"]);
    assert.equal(
      languageWarning("smollm2-135m-instruct", englishOnly, mismatch!),
      "base model smollm2-135m-instruct serves English only, but the dataset's style profile says the owner " +
        "writes in Russian (80% of their messages): the clone would write poorly in it. Choose a base model " +
        "that serves it (--base), or go on knowing that.",
    );
  });

  it("says nothing when the model serves the owner's languages, or when nothing can be told", () => {
    assert.equal(languageMismatch(englishOnly, { en: 0.95, ru: 0.05 }), null);
    assert.equal(languageMismatch(multilingual, { ru: 0.6, en: 0.4 }), null);
    assert.equal(languageMismatch(englishOnly, null), null, "no style profile");
    assert.equal(languageMismatch({ languages: [], testOnly: true }, { ru: 1 }), null, "test model");
    assert.equal(languageMismatch({ languages: [] }, { ru: 1 }), null, "ad-hoc GGUF, languages unknown");
  });

  it("lists every unserved language, and treats an unnamed one as served only by a model naming others", () => {
    assert.deepEqual(languageMismatch(multilingual, { uk: 0.7, ru: 0.3 })?.unserved, ["uk"]);
    assert.equal(servesLanguage(englishOnly, "other"), false);
    assert.equal(servesLanguage(multilingual, "other"), true);
    const both = languageMismatch(englishOnly, { other: 0.5, ru: 0.4, en: 0.1 });
    assert.deepEqual(both?.unserved, ["other", "ru"]);
    assert.match(
      languageWarning("m", englishOnly, both!),
      /owner writes in a language other than Russian, Ukrainian or English \(50%.*\) and Russian \(40%/,
    );
  });

  it("reads the shares from a stats.json report defensively", () => {
    assert.deepEqual(styleProfileLanguageShares({ styleProfile: { languages: { ru: 0.5, en: "x" } } }), {
      ru: 0.5,
    });
    assert.equal(styleProfileLanguageShares({ samples: 3 }), null);
    assert.equal(styleProfileLanguageShares(null), null);
    assert.equal(styleProfileLanguageShares({ styleProfile: { languages: [0.5] } }), null);
  });
});
