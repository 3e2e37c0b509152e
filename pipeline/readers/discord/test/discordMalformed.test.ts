import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import fc from "fast-check";
import { ExportReadError } from "../../../model/conversation.js";
import { createDiscordReader, discordReader } from "../discordReader.js";
import { collect } from "./collect.js";
import { corpusRoot } from "./corpusPath.js";
import { memoryExportFile } from "./memoryExportFile.js";

const sample = readFileSync(
  `${corpusRoot()}/mlomb__chat-analytics__AGPL-3.0/tests/samples/discord/SV_5A_5M.json`,
);

async function rejectsAsReadError(bytes: Buffer | string, pattern?: RegExp): Promise<ExportReadError> {
  const file = memoryExportFile("bad.json", bytes, [61]);
  let caught: unknown;
  try {
    await collect(discordReader, file);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ExportReadError, `expected ExportReadError, got ${String(caught)}`);
  assert.equal(caught.file, file.label);
  assert.match(caught.where, /^byte \d+$/);
  if (pattern) assert.match(caught.message, pattern);
  return caught;
}

test("truncated anywhere → ExportReadError", async () => {
  for (const cut of [0, 1, 10, 200, 700, 1500, sample.length - 2]) {
    await rejectsAsReadError(sample.subarray(0, cut));
  }
});

test("invalid UTF-8 → ExportReadError naming UTF-8", async () => {
  const bad = Buffer.concat([sample.subarray(0, 800), Buffer.from([0xc3, 0x28, 0xff]), sample.subarray(803)]);
  await rejectsAsReadError(bad, /UTF-8/);
  // a multi-byte character cut at the very end
  await rejectsAsReadError(
    Buffer.concat([Buffer.from('{"guild":{},"channel":{"id":"1"},"messages":["'), Buffer.from([0xe2, 0x82])]),
  );
});

test("garbage, wrong top level, wrong layout → ExportReadError", async () => {
  await rejectsAsReadError("garbage", /not valid JSON/);
  await rejectsAsReadError("[1,2,3]", /top level is not an object/);
  await rejectsAsReadError('{"guild":{},"messages":[]}', /before `channel`/);
  await rejectsAsReadError('{"guild":{},"channel":{"id":"1"},"messages":{}}', /not an array/);
  await rejectsAsReadError('{"guild":{}}', /no channel/);
  await rejectsAsReadError('{"guild":{},"channel":{"name":"x"},"messages":[]}', /channel has no id/);
  await rejectsAsReadError('{"guild":{},"channel":{"id":"1"},"messages":[]} trailing', /not valid JSON/);
});

test("hostile nesting and an endless string are bounded", async () => {
  await rejectsAsReadError(`{"guild":${"[".repeat(100_000)}`, /nested deeper/);
  const reader = createDiscordReader({ maxLexemeBytes: 1024 });
  const endless = memoryExportFile("s.json", `{"guild":"${"a".repeat(100_000)}`, [100]);
  await assert.rejects(collect(reader, endless), /longer than 1024 bytes/);
  const bigMessage = `{"channel":{"id":"1"},"messages":[{"id":"1","x":[${"1,".repeat(50_000)}1]}]}`;
  const small = createDiscordReader({ maxValueBytes: 10_000 });
  await assert.rejects(
    collect(small, memoryExportFile("m.json", bigMessage, [1000])),
    /larger than 10000 bytes/,
  );
});

test("a corrupt message is skipped, the rest is read", async () => {
  const json = JSON.stringify({
    channel: { id: "1", type: "GuildTextChat" },
    messages: [
      "oops",
      { id: "2", timestamp: "nope" },
      { id: "3", type: "Default", timestamp: "2024-01-01T00:00:00Z", content: "ok" },
    ],
  });
  const records = await collect(discordReader, memoryExportFile("x.json", json));
  assert.deepEqual(
    records.map((r) => (r.type === "skipped" ? r.skipped.where : r.type)),
    ["chat", "1/messages[0]", "1/2", "message"],
  );
});

test("an aborted read stops with the abort reason", async () => {
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(async () => {
    for await (const _ of discordReader.read(memoryExportFile("x.json", sample), controller.signal)) {
      // unreachable
    }
  }, /abort/i);
});

test("random corruption of a real file never hangs: records or ExportReadError", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(fc.nat(sample.length - 1), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 8,
      }),
      fc.nat(sample.length),
      async (edits, cut) => {
        const bytes = Buffer.from(sample.subarray(0, cut));
        for (const [at, value] of edits) if (at < bytes.length) bytes[at] = value;
        try {
          await collect(discordReader, memoryExportFile("f.json", bytes, [113]));
        } catch (error) {
          assert.ok(error instanceof ExportReadError, String(error));
        }
      },
    ),
    { numRuns: 300 },
  );
});
