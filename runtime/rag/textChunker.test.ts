import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { chunkSections, chunkText } from "./textChunker.js";

const words = (text: string) => text.split(/\s+/).filter(Boolean);

/** A Russian paragraph of about `n` characters made of whole, numbered (so never repeated) sentences. */
function russianParagraph(seed: number, n: number): string {
  const sentences = [
    "Кошка сидит на подоконнике и смотрит на снег.",
    "Вчера мы ездили на дачу к бабушке Вале.",
    "Ёжик в тумане искал свою лошадку до самого утра.",
    "Московское метро открылось в тысяча девятьсот тридцать пятом году.",
    "Съешь же ещё этих мягких французских булок, да выпей чаю.",
  ];
  let text = "";
  for (let i = seed; text.length < n; i++)
    text += `${text ? " " : ""}Запись ${i}: ${sentences[i % sentences.length]}`;
  return text;
}

describe("chunkText", () => {
  it("keeps a short text as one chunk, whitespace normalised", () => {
    assert.deepEqual(chunkText("  Привет,   мир!\r\nКак дела?  "), ["Привет, мир!\nКак дела?"]);
  });

  it("returns nothing for blank text", () => {
    assert.deepEqual(chunkText(" \n\n\t "), []);
  });

  it("cuts a long Russian text into chunks of at most 800 characters that overlap by about 100", () => {
    const text = [russianParagraph(0, 1500), russianParagraph(2, 1200), russianParagraph(4, 300)].join(
      "\n\n",
    );
    const chunks = chunkText(text);
    assert.ok(chunks.length >= 4, `only ${chunks.length} chunks`);
    for (const chunk of chunks) assert.ok(chunk.length <= 800, `chunk of ${chunk.length} characters`);
    for (let i = 1; i < chunks.length; i++) {
      const previous = chunks[i - 1] as string;
      const current = chunks[i] as string;
      // The overlap is the longest prefix of this chunk that ends the previous one.
      let overlap = 0;
      for (let k = Math.min(previous.length, current.length); k > 0; k--) {
        if (previous.endsWith(current.slice(0, k))) {
          overlap = k;
          break;
        }
      }
      assert.ok(overlap >= 20 && overlap <= 100, `overlap of ${overlap} between chunks ${i - 1} and ${i}`);
    }
  });

  it("prefers paragraph boundaries: two 500-character paragraphs make two chunks", () => {
    const first = russianParagraph(0, 500);
    const second = russianParagraph(3, 500);
    const chunks = chunkText(`${first}\n\n${second}`);
    assert.equal(chunks.length, 2);
    assert.equal(chunks[0], first);
    assert.ok(chunks[1]?.endsWith(second));
  });

  it("packs small paragraphs together", () => {
    const chunks = chunkText("Первый абзац.\n\nВторой абзац.\n\nТретий абзац.");
    assert.deepEqual(chunks, ["Первый абзац.\n\nВторой абзац.\n\nТретий абзац."]);
  });

  it("never splits inside a word (property)", () => {
    const word = fc.stringMatching(/^[а-яёА-ЯЁa-z0-9]{1,25}[.,!?]?$/);
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 600 }),
        fc.integer({ min: 0, max: 3 }),
        (ws, gap) => {
          const text = ws.join(gap === 0 ? " " : gap === 1 ? "\n" : gap === 2 ? "\n\n" : "  ");
          const source = new Set(ws);
          const chunks = chunkText(text);
          for (const chunk of chunks) {
            assert.ok(chunk.length <= 800);
            for (const w of words(chunk)) assert.ok(source.has(w), `"${w}" is not a word of the source`);
          }
          // Every word of the source is in some chunk, in order.
          assert.deepEqual([...new Set(chunks.flatMap(words))].sort(), [...source].sort());
        },
      ),
      { numRuns: 60 },
    );
  });

  it("cuts a single word longer than a chunk (the one exception to word boundaries)", () => {
    const chunks = chunkText(`начало ${"щ".repeat(2000)} конец`);
    for (const chunk of chunks) assert.ok(chunk.length <= 800);
    const kept = chunks.join("").match(/щ/g)?.length ?? 0;
    assert.ok(kept >= 2000, `only ${kept} of the long word's letters kept`);
  });

  it("is deterministic", () => {
    const text = russianParagraph(1, 5000);
    assert.deepEqual(chunkText(text), chunkText(text));
  });

  it("honours custom sizes", () => {
    const chunks = chunkText(russianParagraph(0, 1000), { maxChars: 200, overlapChars: 40 });
    assert.ok(chunks.length >= 5);
    for (const chunk of chunks) assert.ok(chunk.length <= 200);
  });

  it("rejects an overlap that is not smaller than the chunk", () => {
    assert.throws(() => chunkText("текст", { maxChars: 100, overlapChars: 100 }), /overlapChars/);
  });
});

describe("chunkSections", () => {
  it("never lets a chunk cross a section and keeps each section's locator", () => {
    const pieces = chunkSections([
      { text: "Введение без заголовка." },
      { text: "Кошки\n\nКошки любят рыбу.", locator: "Кошки" },
      { text: russianParagraph(0, 1000), locator: "page=2" },
    ]);
    assert.deepEqual(pieces[0], { text: "Введение без заголовка." });
    assert.deepEqual(pieces[1], { text: "Кошки\n\nКошки любят рыбу.", locator: "Кошки" });
    assert.ok(pieces.length >= 4);
    for (const piece of pieces.slice(2)) assert.equal(piece.locator, "page=2");
  });

  it("drops empty sections", () => {
    assert.deepEqual(
      chunkSections([
        { text: "  ", locator: "page=1" },
        { text: "Текст", locator: "page=2" },
      ]),
      [{ text: "Текст", locator: "page=2" }],
    );
  });
});
