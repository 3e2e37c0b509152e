import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { type ChatLine, LAYOUTS, writeChat } from "./test/chatWriter.js";
import { readFile } from "./test/collect.js";
import { fileFromBytes } from "./test/exportFiles.js";

// Words that can never form a header, marker or author separator at a line start.
const WORDS = [
  "hello",
  "мир",
  "Привет",
  "😀",
  "👩🏻‍⚖️",
  "a:b",
  "ok?",
  "Ёж",
  "naïve",
  "x",
  "—",
  "(1)",
  "#tag",
  "note:",
  "100%",
];
const AUTHORS = ["Ann", "Борис", "+7 999 123-45-67", "Zoë 🌸", "Jean-Luc", "李雷"];
const MIN = Date.UTC(2010, 0, 1);
const MAX = Date.UTC(2030, 11, 31);

const lineArb = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 6 }).map((w) => w.join(" "));
const textArb = fc
  .tuple(lineArb, fc.array(fc.oneof(lineArb, fc.constant("")), { maxLength: 3 }), lineArb, fc.boolean())
  .map(([first, middle, last, multi]) => (multi ? [first, ...middle, last].join("\n") : first));

const chatArb = fc.record({
  layout: fc.integer({ min: 0, max: LAYOUTS.length - 1 }),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  leadingMark: fc.boolean(),
  chunk: fc.integer({ min: 1, max: 200 }),
  messages: fc.array(
    fc.record({
      author: fc.constantFrom(...AUTHORS),
      text: textArb,
      timestamp: fc.integer({ min: MIN, max: MAX }),
    }),
    { minLength: 1, maxLength: 25 },
  ),
});

test("random chats in every layout read back equal", async () => {
  await fc.assert(
    fc.asyncProperty(chatArb, async (c) => {
      const layout = LAYOUTS[c.layout]!;
      const resolution = layout.seconds ? 1000 : 60_000;
      const lines: ChatLine[] = c.messages.map((m) => ({
        ...m,
        timestamp: m.timestamp - (m.timestamp % resolution),
      }));
      // One day above 12 makes the day/month order decidable (ambiguous files are unit-tested separately).
      const first = new Date(lines[0]!.timestamp);
      first.setUTCDate(13 + (first.getUTCDate() % 15));
      lines[0]!.timestamp = first.getTime();
      const text = writeChat(layout, lines, { crlf: c.crlf, bom: c.bom, leadingMark: c.leadingMark });
      const r = await readFile(fileFromBytes(text, "_chat.txt", c.chunk));
      assert.deepEqual(r.skipped, []);
      assert.deepEqual(
        r.messages.map((m) => ({ author: m.authorId, text: m.text, timestamp: m.timestamp, kind: m.kind })),
        lines.map((m) => ({ author: m.author, text: m.text, timestamp: m.timestamp, kind: "text" })),
        layout.name,
      );
    }),
    { numRuns: 300 },
  );
});
