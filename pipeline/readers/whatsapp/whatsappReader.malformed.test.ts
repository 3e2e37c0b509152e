import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { ExportReadError } from "../../model/conversation.js";
import { readFile } from "./test/collect.js";
import { fileFromBytes, fileFromChunks } from "./test/exportFiles.js";
import { WhatsAppReader } from "./whatsappReader.js";

const header = (n: number) => `14/03/2023, 10:${String(n).padStart(2, "0")} - Ann: `;

/** Reads "start", then a line of `mebibytes` MiB (one reused buffer), then "after"; with the RSS growth. */
async function readPastLongLine(mebibytes: number, name: string) {
  const piece = Buffer.alloc(1 << 20, "x");
  const chunks = function* () {
    yield Buffer.from(`${header(1)}start\n${header(2)}`);
    for (let i = 0; i < mebibytes; i++) yield piece;
    yield Buffer.from(`\n${header(3)}after\n`);
  };
  const before = process.memoryUsage().rss;
  const r = await readFile(fileFromChunks(chunks, mebibytes * 2 ** 20, name));
  return { r, growth: (process.memoryUsage().rss - before) / 2 ** 20 };
}

describe("malformed input", () => {
  test("invalid UTF-8 skips only that message, naming file and line", async () => {
    const bytes = Buffer.concat([
      Buffer.from(`${header(1)}fine\n${header(2)}bad `),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from(`\n${header(3)}fine again\n`),
    ]);
    const r = await readFile(fileFromBytes(bytes, "x.txt", 7));
    assert.deepEqual(
      r.messages.map((m) => m.text),
      ["fine", "fine again"],
    );
    assert.deepEqual(r.skipped, [{ reason: "invalid UTF-8", where: "mem:x.txt:2" }]);
  });

  test("a binary file is an ExportReadError with line and byte", async () => {
    const bytes = Buffer.concat([Buffer.from(`${header(1)}hi\n`), randomBytes(4096), Buffer.from([0])]);
    await assert.rejects(readFile(fileFromBytes(bytes, "b.txt")), (e: unknown) => {
      assert.ok(e instanceof ExportReadError);
      assert.match(e.message, /b\.txt \(line \d+, byte \d+\): binary data/);
      return true;
    });
  });

  test("random garbage without NUL bytes and no header is an ExportReadError", async () => {
    const garbage = Buffer.from(randomBytes(100_000).map((b) => (b === 0 ? 1 : b)));
    await assert.rejects(readFile(fileFromBytes(garbage, "g.txt")), /no WhatsApp message header/);
  });

  test("a file of only continuation lines is an ExportReadError", async () => {
    await assert.rejects(
      readFile(fileFromBytes("just some text\nand more\n", "c.txt")),
      /c\.txt \(lines 1-2\): no WhatsApp message header/,
    );
  });

  test("an empty file is a chat without messages", async () => {
    const r = await readFile(fileFromBytes("", "e.txt"));
    assert.equal(r.messages.length, 0);
  });

  test("a 50 MB single line is skipped with a reason in bounded memory", async () => {
    const { r, growth } = await readPastLongLine(50, "long.txt");
    assert.deepEqual(
      r.messages.map((m) => m.text),
      ["start", "after"],
    );
    assert.equal(r.skipped.length, 1);
    assert.match(r.skipped[0]!.reason, /line longer than/);
    assert.equal(r.skipped[0]!.where, "gen:long.txt:2");
    assert.ok(growth < 100, `RSS grew ${growth.toFixed(0)} MB`);
  });

  test("a 2 GiB single line is skipped with a reason in bounded memory and time", {
    timeout: 120_000,
  }, async () => {
    const { r, growth } = await readPastLongLine(2048, "two-gib.txt");
    assert.deepEqual(
      r.messages.map((m) => m.text),
      ["start", "after"],
    );
    assert.equal(r.skipped.length, 1);
    assert.match(r.skipped[0]!.reason, /line longer than/);
    assert.ok(growth < 100, `RSS grew ${growth.toFixed(0)} MB`);
  });

  test("a huge multi-line message is capped and skipped", async () => {
    const text = `${header(1)}start\n${"line\n".repeat(10_000)}${header(2)}after\n`;
    const r = await readFile(fileFromBytes(text), new WhatsAppReader({ maxMessageChars: 1000 }));
    assert.deepEqual(
      r.messages.map((m) => m.text),
      ["after"],
    );
    assert.match(r.skipped[0]!.reason, /message longer than 1,000 characters/);
    assert.deepEqual([r.skipped[0]!.code, r.skipped[0]!.values], ["messageTooLong", { limitChars: 1000 }]);
  });

  test("impossible dates are skipped with the detected order as reason", async () => {
    const text = `13/01/2023, 10:00 - Ann: a\n45/13/2023, 10:01 - Ann: b\ncontinued\n14/01/2023, 10:02 - Ann: c\n`;
    const r = await readFile(fileFromBytes(text));
    assert.deepEqual(
      r.messages.map((m) => m.text),
      ["a", "c"],
    );
    assert.match(r.skipped[0]!.reason, /impossible date\/time "45\/13\/2023 10:01".*day first/);
  });

  test("lines that contradict the detected order after the sample are skipped, not re-read", async () => {
    const text = `13/01/2023, 10:00 - Ann: a\n01/14/2023, 10:01 - Ann: b\n`;
    const r = await readFile(fileFromBytes(text), new WhatsAppReader({ sampleHeaders: 1 }));
    assert.deepEqual(
      r.messages.map((m) => m.text),
      ["a"],
    );
    assert.equal(r.skipped[0]!.where, "mem:_chat.txt:2");
  });

  test("abort stops reading", async () => {
    const controller = new AbortController();
    const reader = new WhatsAppReader();
    const text = `${header(1)}a\n`.repeat(100_000);
    const it = reader.read(fileFromBytes(text, "_chat.txt", 1024), controller.signal)[Symbol.asyncIterator]();
    await it.next();
    controller.abort();
    await assert.rejects(async () => {
      for (;;) if ((await it.next()).done) break;
    });
  });
});
