import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { ExportRecord } from "../../model/conversation.js";
import type { ExportFile } from "../../model/exportSource.js";
import { memoryFile } from "../json/test/memoryFile.js";
import { readTelegramHtml } from "../telegramHtml/index.js";
import { sameChatMessages } from "../telegramHtml/test/sameChat.js";
import { TdesktopHtmlWriter } from "../telegramHtml/test/tdesktopHtml.js";
import { readVkConversation } from "../vk/index.js";
import { vkConversationPages } from "../vk/test/vkArchive.js";

/**
 * The HTML readers on mutated pages (bytes flipped, cut short, tags and noise inserted): HTML has no
 * syntax errors, so whatever the bytes, a page reads as records (messages, or skips naming the message)
 * within a time bound, never an exception. FUZZ_SECONDS (default 20) is shared with the other fuzz tests;
 * these take a tenth of it each; the seed is printed for replay.
 */
const budgetMs = (Number(process.env.FUZZ_SECONDS ?? 20) * 1000) / 10;

const telegramPage = Buffer.from(
  new TdesktopHtmlWriter({ name: "Маша" }).pages(sameChatMessages())[0]?.[1] ?? "",
);
const vkPage =
  vkConversationPages(
    sameChatMessages()
      .slice(0, 20)
      .map((m, i) => ({
        id: Number(m.id),
        author: i % 2 ? null : { id: 7, name: "Маша" },
        date: [2021, 1, 1, 10, i, 0] as [number, number, number, number, number, number],
        text: typeof m.text === "string" ? m.text : "текст",
        attachments: i % 5 === 0 ? [{ description: "Фотография", link: "https://vk.com/photo1_2" }] : [],
      })),
    { peerId: 7, name: "Маша", charset: "windows-1251" },
  )[0]?.[1] ?? Buffer.alloc(0);

type Mutation =
  | { kind: "flip"; at: number; byte: number }[]
  | { kind: "cut"; at: number }
  | { kind: "insert"; at: number; text: string };

const position = fc.double({ min: 0, max: 1, noNaN: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.array(
    fc.record({ kind: fc.constant("flip" as const), at: position, byte: fc.integer({ min: 0, max: 255 }) }),
    {
      minLength: 1,
      maxLength: 20,
    },
  ),
  fc.record({ kind: fc.constant("cut" as const), at: position }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: position,
    text: fc.oneof(
      fc.constantFrom(
        '<div class="message default clearfix" id="message',
        '<div class="message" data-id="',
        "</div></div></div>",
        '<div class="text">',
        '<div class="message__header">Вы, 31 фев 2021 в 25:61:00',
        "<br><br>",
        '<a href="#go_to_message',
        "&#xD800;&amp&lt",
      ),
      fc.string({ maxLength: 200 }),
    ),
  }),
);

function mutate(seed: Buffer, m: Mutation): Buffer {
  const at = (p: number) => Math.floor(p * seed.length);
  if (Array.isArray(m)) {
    const copy = Buffer.from(seed);
    for (const f of m) copy[Math.min(at(f.at), copy.length - 1)] = f.byte;
    return copy;
  }
  if (m.kind === "cut") return seed.subarray(0, at(m.at));
  return Buffer.concat([seed.subarray(0, at(m.at)), Buffer.from(m.text), seed.subarray(at(m.at))]);
}

async function drain(records: AsyncIterable<ExportRecord>): Promise<number> {
  let n = 0;
  for await (const record of records) {
    if (record.type === "skipped") assert.match(record.skipped.where, /message/);
    n++;
  }
  return n;
}

const readers: [string, Buffer, (file: ExportFile) => AsyncIterable<ExportRecord>][] = [
  // The names are the page names the readers take.
  ["messages.html", telegramPage, (f) => readTelegramHtml(f)],
  ["messages0.html", vkPage, (f) => readVkConversation(f)],
];

describe("HTML readers fuzz", () => {
  for (const [name, seed, read] of readers)
    it(`${name}: records in bounded time, never an exception`, async () => {
      assert.ok((await drain(read(memoryFile(seed, 4096, name)))) > 10, "the unmutated page reads");
      const fuzzSeed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
      let cases = 0;
      await fc.assert(
        fc.asyncProperty(mutation, fc.integer({ min: 1, max: 4096 }), async (m, chunk) => {
          cases++;
          const t0 = Date.now();
          await drain(read(memoryFile(mutate(seed, m), chunk, name)));
          assert.ok(Date.now() - t0 < 10_000, `took ${Date.now() - t0} ms`);
        }),
        {
          seed: fuzzSeed,
          numRuns: 1_000_000,
          interruptAfterTimeLimit: budgetMs,
          markInterruptAsFailure: false,
        },
      );
      console.log(`# ${name}: ${cases} mutated pages (FUZZ_SEED=${fuzzSeed})`);
      assert.ok(cases > 0);
    });
});
