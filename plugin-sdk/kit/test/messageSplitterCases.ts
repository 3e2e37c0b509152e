/** The cases the plugin kit's reply splitter must pass (Telegram's 4096 and Discord's 2000 limits). */
import assert from "node:assert/strict";
import { it } from "node:test";
import fc from "fast-check";

export type Splitter = (text: string, limit: number) => string[];

const squash = (s: string) => s.replace(/\s+/g, "");

export function splitterCases(split: Splitter): void {
  it("keeps a short reply whole and drops an empty one", () => {
    assert.deepEqual(split("Привет!", 20), ["Привет!"]);
    assert.deepEqual(split("   ", 20), []);
  });

  it("cuts at a paragraph break before a sentence end", () => {
    const first = "Первый абзац. Ещё одно предложение.";
    const second = "Второй абзац, подлиннее первого. И конец.";
    assert.deepEqual(split(`${first}\n\n${second}`, 60), [first, second]);
  });

  it("cuts at a sentence end when no paragraph fits", () => {
    const text = "Раз два три. Четыре пять шесть! Семь восемь девять? Десять.";
    const pieces = split(text, 35);
    assert.deepEqual(pieces, ["Раз два три. Четыре пять шесть!", "Семь восемь девять? Десять."]);
  });

  it("cuts between words when a sentence is longer than the limit", () => {
    const pieces = split("очень длинное предложение без точки до самого конца", 20);
    for (const piece of pieces) {
      assert.ok(piece.length <= 20, piece);
      assert.ok(!piece.startsWith(" ") && !piece.endsWith(" "), JSON.stringify(piece));
    }
    assert.equal(pieces.join(" "), "очень длинное предложение без точки до самого конца");
  });

  it("hard-cuts a word longer than the limit without splitting a surrogate pair", () => {
    const pieces = split("ж".repeat(9) + "😀".repeat(3), 10);
    for (const piece of pieces) {
      assert.ok(piece.length <= 10);
      assert.ok(
        !/^[\uDC00-\uDFFF]/.test(piece) && !/[\uD800-\uDBFF]$/.test(piece),
        "a surrogate pair was split",
      );
    }
    assert.equal(pieces.join(""), "ж".repeat(9) + "😀".repeat(3));
  });

  it("never loses text and never exceeds the limit (property)", () => {
    const alphabet = fc.constantFrom("а", "б", "в", "я", " ", "\n", ".", "!", "?", "😀", "x");
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 400 }), fc.integer({ min: 2, max: 60 }), (chars, limit) => {
        const text = chars.join("");
        const pieces = split(text, limit);
        for (const piece of pieces) {
          assert.ok(piece.length > 0 && piece.length <= limit, `piece of ${piece.length} > ${limit}`);
          assert.equal(piece.trim(), piece);
        }
        assert.equal(squash(pieces.join("")), squash(text));
      }),
      { numRuns: 300 },
    );
  });
}
