import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ExportReadError } from "../../model/conversation.js";
import type { ExportFile } from "../../model/exportSource.js";
import { readTelegramExport } from "./telegramReader.js";
import { messagesOf, readAll } from "./test/collect.js";
import { exportFileFromBytes, exportFileFromGenerator } from "./test/exportFiles.js";
import { exportText } from "./test/exportWriter.js";

const TIMEOUT = { timeout: 20_000 };

const sample = exportText({
  kind: "full",
  personal: { user_id: 1, first_name: "Аня" },
  chats: [
    {
      header: { name: "Чат 😀", type: "personal_chat", id: 5 },
      messages: Array.from({ length: 20 }, (_, i) => ({
        id: i,
        type: "message",
        date_unixtime: String(1_600_000_000 + i),
        from_id: "user1",
        text: ["Привет\n", { type: "bold", text: "мир 👍🏽" }, "\u0001конец"],
      })),
    },
  ],
});

/** Reads to the end; the only acceptable failure is an ExportReadError. */
async function outcome(file: ExportFile): Promise<"read" | ExportReadError> {
  try {
    await readAll(file);
    return "read";
  } catch (error) {
    if (error instanceof ExportReadError) return error;
    throw error;
  }
}

describe("telegram reader on malformed input", () => {
  it("fails with an ExportReadError at the end for a file truncated anywhere", TIMEOUT, async () => {
    const bytes = Buffer.from(sample, "utf8");
    // The sample ends with "}\n": any cut before the closing brace leaves incomplete JSON.
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: bytes.length - 2 }),
        fc.integer({ min: 1, max: 300 }),
        async (cut, chunk) => {
          const result = await outcome(exportFileFromBytes(bytes.subarray(0, cut), "cut.json", chunk));
          assert.ok(result instanceof ExportReadError, `cut at ${cut} was read`);
          assert.match(result.where, /^(byte \d+|line \d+ column \d+|bytes \d+-\d+)$/);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("names the byte of invalid UTF-8", TIMEOUT, async () => {
    const at = sample.indexOf("мир");
    const prefix = Buffer.from(sample.slice(0, at), "utf8");
    const bytes = Buffer.concat([prefix, Buffer.from([0xff, 0xfe]), Buffer.from(sample.slice(at), "utf8")]);
    for (const chunk of [7, 64 * 1024]) {
      const result = await outcome(exportFileFromBytes(bytes, "bad.json", chunk));
      assert.ok(result instanceof ExportReadError);
      assert.equal(result.where, `byte ${prefix.length}`);
      assert.match(result.message, /invalid UTF-8/);
    }
  });

  it("fails on a file that ends inside a UTF-8 sequence", TIMEOUT, async () => {
    const bytes = Buffer.concat([Buffer.from('{"name":"', "utf8"), Buffer.from("ж", "utf8").subarray(0, 1)]);
    const result = await outcome(exportFileFromBytes(bytes));
    assert.ok(result instanceof ExportReadError);
  });

  it("fails cleanly on binary garbage", TIMEOUT, async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 2000 }), async (garbage) => {
        const result = await outcome(exportFileFromBytes(garbage, "garbage.json", 97));
        assert.ok(result instanceof ExportReadError || garbage.length > 0, "empty input must fail");
      }),
      { numRuns: 200 },
    );
    assert.ok((await outcome(exportFileFromBytes(""))) instanceof ExportReadError);
  });

  it("says where a syntax error is, as line and column", TIMEOUT, async () => {
    const text =
      '{\n "name": "x",\n "type": "personal_chat",\n "id": 1,\n "messages": [\n  {"id": 1,, "text": ""}\n ]\n}';
    const result = await outcome(exportFileFromBytes(text));
    assert.ok(result instanceof ExportReadError);
    assert.equal(result.where, "line 6 column 12");
  });

  it("refuses JSON that is not an object", TIMEOUT, async () => {
    for (const text of ["[]", '"text"', "42", "null"]) {
      const result = await outcome(exportFileFromBytes(text));
      assert.ok(result instanceof ExportReadError, text);
      assert.match(result.message, /JSON object/);
    }
  });

  it("refuses 100k nested arrays at once, and skips a message nested 100k deep", TIMEOUT, async () => {
    const deep = "[".repeat(100_000);
    const whole = await outcome(exportFileFromBytes(deep));
    assert.ok(whole instanceof ExportReadError);
    const truncated = await outcome(exportFileFromBytes(`{"messages":[{"id":1,"text":${deep}`));
    assert.ok(truncated instanceof ExportReadError);

    const nested = `{"id":1,"messages":[{"id":1,"date_unixtime":"1","text":${deep}${"]".repeat(100_000)}},{"id":2,"date_unixtime":"1","text":"ok"}]}`;
    const records = await readAll(exportFileFromBytes(nested));
    const skipped = records.flatMap((r) => (r.type === "skipped" ? [r.skipped] : []));
    assert.equal(skipped.length, 1);
    assert.match(skipped[0]?.reason ?? "", /nested deeper/);
    assert.deepEqual(
      messagesOf(records).map((m) => m.text),
      ["ok"],
    );
  });

  it("skips a 50 MB message and reads the next one", TIMEOUT, async () => {
    const huge = "ю".repeat(1024 * 1024);
    const file = exportFileFromGenerator(function* () {
      yield '{"id":1,"type":"personal_chat","messages":[{"id":1,"date_unixtime":"1","text":"';
      for (let i = 0; i < 25; i++) yield huge; // 25 Mi × 2 bytes = 50 MB of UTF-8
      yield '"},{"id":2,"date_unixtime":"2","text":"after"}]}';
    });
    const records = await readAll(file);
    const skipped = records.flatMap((r) => (r.type === "skipped" ? [r.skipped] : []));
    assert.equal(skipped.length, 1);
    assert.match(skipped[0]?.reason ?? "", /larger than/);
    assert.equal(skipped[0]?.where, "generated.json chat 1 message #0");
    assert.deepEqual(
      messagesOf(records).map((m) => m.text),
      ["after"],
    );
  });

  it("skips a 2 GiB message on one line in bounded memory and reads the next one", {
    timeout: 300_000,
  }, async () => {
    const piece = "я".repeat(512 * 1024); // 1 MiB of UTF-8
    const file = exportFileFromGenerator(function* () {
      yield '{"id":1,"type":"personal_chat","messages":[{"id":1,"date_unixtime":"1","text":"';
      for (let i = 0; i < 2048; i++) yield piece;
      yield '"},{"id":2,"date_unixtime":"2","text":"after"}]}';
    });
    const before = process.memoryUsage().rss;
    const records = await readAll(file);
    const growth = (process.memoryUsage().rss - before) / 2 ** 20;
    const skipped = records.flatMap((r) => (r.type === "skipped" ? [r.skipped] : []));
    assert.equal(skipped.length, 1);
    assert.match(skipped[0]?.reason ?? "", /larger than/);
    assert.deepEqual(
      messagesOf(records).map((m) => m.text),
      ["after"],
    );
    assert.ok(growth < 200, `RSS grew ${growth.toFixed(0)} MB`);
  });

  it("turns a failing stream into an ExportReadError", TIMEOUT, async () => {
    const file: ExportFile = {
      path: "x.json",
      label: "x.json",
      size: 10,
      open: async () =>
        Readable.from(
          (async function* () {
            yield Buffer.from('{"messages":[');
            throw new Error("disk on fire");
          })(),
        ),
    };
    const result = await outcome(file);
    assert.ok(result instanceof ExportReadError);
    assert.match(result.message, /disk on fire/);
  });

  it("stops when aborted", TIMEOUT, async () => {
    const controller = new AbortController();
    const file = exportFileFromGenerator(function* () {
      yield '{"messages":[';
      for (let i = 0; ; i++) yield `${i ? "," : ""}{"id":${i},"date_unixtime":"1","text":"x"}`;
    });
    let seen = 0;
    await assert.rejects(async () => {
      for await (const _ of readTelegramExport(file, controller.signal))
        if (++seen === 1000) controller.abort();
    }, /abort/i);
  });
});
