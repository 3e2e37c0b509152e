import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { casual, formal, messages, seeded } from "@aiclone/testing/syntheticAuthors";
import { characterNgrams, trainAuthorship } from "./authorshipClassifier.js";

describe("characterNgrams", () => {
  it("iterates code points: an emoji and a Cyrillic letter are one character each", () => {
    const grams = characterNgrams("я😀", 2);
    assert.ok(grams.includes("😀"));
    assert.ok(grams.includes("я😀"));
    assert.ok(
      grams.every((g) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(g)),
      "no lone high surrogate",
    );
    // 4 framed characters (start, я, 😀, end): 4 unigrams + 3 bigrams.
    assert.equal(grams.length, 7);
  });

  it("keeps case and punctuation, and has nothing for an empty text", () => {
    assert.ok(characterNgrams("Да!", 1).includes("Д"));
    assert.ok(characterNgrams("Да!", 1).includes("!"));
    assert.deepEqual(characterNgrams(""), []);
  });
});

describe("trainAuthorship", () => {
  it("separates two clearly different authors on held-out messages (≥ 90 %)", () => {
    const model = trainAuthorship({ owner: messages(casual, 300, 1), others: messages(formal, 900, 2) });
    const ownerHeldOut = model.shareAttributedToOwner(messages(casual, 200, 3));
    const othersHeldOut = model.shareAttributedToOwner(messages(formal, 200, 4));
    const accuracy = (ownerHeldOut + (1 - othersHeldOut)) / 2;
    assert.ok(accuracy >= 0.9, `accuracy ${accuracy}`);
    assert.ok(ownerHeldOut >= 0.9, `owner recall ${ownerHeldOut}`);
  });

  it("is near chance when owner and contacts write alike, however unbalanced the split", () => {
    for (const [owner, others] of [
      [300, 300],
      [100, 3000],
      [3000, 100],
    ] as const) {
      const model = trainAuthorship({
        owner: messages(casual, owner, 5),
        others: messages(casual, others, 6),
      });
      const share = model.shareAttributedToOwner(messages(casual, 600, 7));
      assert.ok(
        share > 0.35 && share < 0.65,
        `${owner} vs ${others}: share attributed to the owner ${share}`,
      );
    }
  });

  it("learns case alone as style (Cyrillic)", () => {
    const owner = messages(casual, 200, 8);
    const others = owner.map((m) => m.charAt(0).toUpperCase() + m.slice(1));
    const model = trainAuthorship({ owner, others });
    assert.equal(model.attributedToOwner("пойдём гулять"), true);
    assert.equal(model.attributedToOwner("Пойдём гулять"), false);
  });

  it("gives an empty text 0.5 and does not credit it to the owner", () => {
    const model = trainAuthorship({ owner: messages(casual, 50, 9), others: messages(formal, 50, 10) });
    assert.equal(model.probabilityOwner(""), 0.5);
    assert.equal(model.attributedToOwner(""), false);
    assert.equal(model.shareAttributedToOwner([]), 0);
  });

  it("is deterministic and keeps probabilities in [0, 1]", () => {
    const set = { owner: messages(casual, 100, 11), others: messages(formal, 100, 12) };
    const a = trainAuthorship(set);
    const b = trainAuthorship({ owner: [...set.owner], others: [...set.others] });
    for (const text of messages(formal, 20, 13).concat(messages(casual, 20, 14))) {
      assert.equal(a.logLikelihoodRatio(text), b.logLikelihoodRatio(text));
      const p = a.probabilityOwner(text);
      assert.ok(p >= 0 && p <= 1 && !Number.isNaN(p));
    }
  });

  it("caps the vocabulary", () => {
    const model = trainAuthorship(
      { owner: messages(casual, 200, 15), others: messages(formal, 200, 16) },
      { maxFeatures: 300 },
    );
    assert.equal(model.features, 300);
  });

  it("stays bounded and correct when the n-grams outgrow the pruning bound", () => {
    const random = seeded(19);
    const word = () =>
      Array.from({ length: 12 }, () => String.fromCodePoint(0x430 + Math.floor(random() * 32))).join("");
    const owner = Array.from({ length: 15_000 }, word);
    const others = Array.from({ length: 15_000 }, () => word().toUpperCase());
    const model = trainAuthorship({ owner, others }, { maxFeatures: 1_000 });
    assert.equal(model.features, 1_000);
    assert.equal(model.attributedToOwner("привет"), true);
    assert.equal(model.attributedToOwner("ПРИВЕТ"), false);
  });

  it("refuses a training split without one of the classes", () => {
    assert.throws(() => trainAuthorship({ owner: ["", ""], others: ["Да."] }), /owner/);
    assert.throws(() => trainAuthorship({ owner: ["да"], others: [] }), /contacts/);
  });

  it("trains on 100k messages in bounded memory and time", () => {
    const started = Date.now();
    const model = trainAuthorship(
      { owner: messages(casual, 20_000, 17), others: messages(formal, 80_000, 18) },
      { maxFeatures: 50_000 },
    );
    assert.ok(model.features <= 50_000);
    assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
    assert.equal(model.attributedToOwner("ладно, давай завтра)"), true);
  });
});
