import assert from "node:assert/strict";
import { test } from "node:test";
import { fileFromChunks } from "./test/exportFiles.js";
import { WhatsAppReader } from "./whatsappReader.js";

const TARGET_BYTES = Number(process.env.WHATSAPP_BENCH_MB ?? 200) * 1024 * 1024;

/**
 * A realistic mix (short and long texts, multi-line messages, media, Cyrillic and emoji) in 1 MiB blocks whose
 * dates move forward block by block, so the generator costs little next to the reader.
 */
function makeBlock(day: number): Buffer {
  const texts = [
    "ok",
    "Привет! Как дела? 😀",
    "Let's meet at 7 tomorrow, the usual place near the station. Bring the tickets please.",
    "first line\nsecond line of a multi-line message\nthird",
    "IMG-20230630-WA0000.jpg (file attached)\nlook at this",
    "<Media omitted>",
    "This message was deleted",
    "a longer message that goes on and on to make the average line length closer to a real chat export ".repeat(
      2,
    ),
  ];
  const authors = ["Alice Example", "+49 151 23456789", "Борис"];
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < 1024 * 1024; i++) {
    const d = String(13 + (day % 15)).padStart(2, "0");
    const m = String(1 + (Math.floor(day / 15) % 12)).padStart(2, "0");
    const hh = String(Math.floor(i / 60) % 24).padStart(2, "0");
    const mm = String(i % 60).padStart(2, "0");
    const line = `${d}/${m}/2023, ${hh}:${mm} - ${authors[i % 3]}: ${texts[i % texts.length]}\n`;
    lines.push(line);
    size += Buffer.byteLength(line);
  }
  return Buffer.from(lines.join(""), "utf8");
}

test(`reads a generated ${TARGET_BYTES >> 20} MB chat with flat memory and prints MB/s`, async () => {
  const blocks = Array.from({ length: 16 }, (_, i) => makeBlock(i));
  const chunks = function* (): Generator<Buffer> {
    let sent = 0;
    for (let i = 0; sent < TARGET_BYTES; i++) {
      const block = blocks[i % blocks.length] as Buffer;
      // 64 KiB pieces, like a file stream.
      for (let j = 0; j < block.length; j += 65_536) yield block.subarray(j, j + 65_536);
      sent += block.length;
    }
  };
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  let messages = 0;
  let skipped = 0;
  const start = performance.now();
  for await (const record of new WhatsAppReader().read(fileFromChunks(chunks, TARGET_BYTES))) {
    if (record.type === "message") {
      if (++messages % 100_000 === 0) rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    } else if (record.type === "skipped") skipped++;
  }
  const seconds = (performance.now() - start) / 1000;
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  const mb = TARGET_BYTES / 1024 / 1024;
  const growth = (rssPeak - rssBefore) / 1024 / 1024;
  console.log(
    `whatsapp reader: ${mb.toFixed(0)} MB, ${messages} messages in ${seconds.toFixed(2)} s = ` +
      `${(mb / seconds).toFixed(1)} MB/s; RSS ${(rssBefore / 2 ** 20).toFixed(0)} → peak ${(rssPeak / 2 ** 20).toFixed(0)} MB (+${growth.toFixed(0)} MB)`,
  );
  assert.equal(skipped, 0);
  assert.ok(messages > 0);
  assert.ok(growth < 100, `RSS grew by ${growth.toFixed(0)} MB`);
});
