import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { openExportSource } from "../../archive/openExportSource.js";
import { readAll } from "../../archive/test/readAll.js";
import { tempDir } from "../../archive/test/tempDir.js";
import { buildZip } from "../../archive/test/zipWriter.js";
import type { ExportFormat, ExportRecord } from "../../model/conversation.js";
import type { ExportFile, ExportReader } from "../../model/exportSource.js";
import { discordReader } from "../discord/index.js";
import { detectAndRead, detectExportFiles } from "../exportReaders.js";

/** A stand-in reader: accepts by a marker in the head, reads the whole file into one chat record. */
function mockReader(
  format: ExportFormat,
  accepts: (file: ExportFile, head: string) => boolean,
): ExportReader {
  return {
    format,
    accepts: (file, head) => accepts(file, head.toString("utf8")),
    async *read(file) {
      const text = (await readAll(file)).toString("utf8");
      yield {
        type: "chat",
        chat: { id: file.path, name: text.slice(0, 20), type: "personal", format, source: file.label },
      };
    },
  };
}

const telegram = mockReader(
  "telegram-json",
  (f, h) => f.path.endsWith(".json") && h.includes('"personal_information"'),
);
const whatsapp = mockReader(
  "whatsapp-txt",
  (f, h) => f.path.endsWith(".txt") && /^\d+\/\d+\/\d+, \d+:\d+ - /.test(h),
);

const discordJson = JSON.stringify({
  guild: { id: "1", name: "G" },
  channel: { id: "c9", type: "GuildTextChat", name: "general" },
  messages: [
    {
      id: "m1",
      type: "Default",
      timestamp: "2024-01-01T00:00:00+00:00",
      content: "hey",
      author: { id: "u", name: "U" },
    },
  ],
});

test("a zip of three platforms yields each file's records from its own reader", async () => {
  const dir = tempDir();
  const path = join(dir, "upload.zip");
  writeFileSync(
    path,
    buildZip([
      {
        name: "Telegram/result.json",
        data: '{"about":"x","personal_information":{"user_id":1},"chats":{"list":[]}}',
      },
      { name: "WhatsApp Chat with Маша.txt", data: "12/31/23, 10:00 - Маша: привет" },
      { name: "discord/general.json", data: discordJson },
      { name: "Telegram/photos/photo_1.jpg", data: "jpeg bytes" },
      { name: "__MACOSX/._result.json", data: "junk" },
      { name: "notes.md", data: "# my notes" },
      { name: "old.zip", data: buildZip([{ name: "x.txt", data: "x" }]) },
      { name: "../escape.txt", data: "x" },
    ]),
  );
  const source = await openExportSource(path);
  try {
    const reading = detectAndRead(source, [telegram, whatsapp, discordReader]);
    const records: ExportRecord[] = [];
    for await (const record of reading.records) records.push(record);
    const summary = records.map((r) =>
      r.type === "chat"
        ? `chat ${r.chat.format} ${r.chat.id}`
        : r.type === "message"
          ? `message ${r.message.chatId}/${r.message.id}`
          : r.type === "skipped"
            ? `skipped ${r.skipped.where.slice(path.length)}: ${r.skipped.reason}`
            : r.type,
    );
    assert.deepEqual(summary, [
      "skipped !/../escape.txt: unsafe entry name: path escapes the archive (..)",
      "chat telegram-json Telegram/result.json",
      "chat whatsapp-txt WhatsApp Chat with Маша.txt",
      "chat discord-json c9",
      "message c9/m1",
      "skipped !/notes.md: not a chat export this platform can read",
      "skipped !/old.zip: an archive inside the upload is not opened; upload it on its own",
    ]);
    assert.deepEqual([...reading.formats].sort(), ["discord-json", "telegram-json", "whatsapp-txt"]);
  } finally {
    await source.close();
  }
});

test("detection alone reads only heads, and never opens media", async () => {
  let opened = 0;
  const file = (path: string, body: string): ExportFile => ({
    path,
    label: `mem!/${path}`,
    size: body.length,
    open: async () => {
      opened++;
      const { Readable } = await import("node:stream");
      return Readable.from([Buffer.from(body)]);
    },
  });
  const source = {
    label: "mem",
    async *files() {
      yield file("a.png", "png");
      yield file("b.json", discordJson);
    },
    file: async () => null,
    close: async () => {},
  };
  const found: Array<string | null> = [];
  for await (const d of detectExportFiles(source, [telegram, whatsapp, discordReader])) {
    found.push(d.reader?.format ?? null);
  }
  assert.deepEqual(found, [null, "discord-json"]);
  assert.equal(opened, 1);
});

test("an aborted signal stops the reading", async () => {
  const controller = new AbortController();
  controller.abort();
  const source = {
    label: "mem",
    async *files(): AsyncGenerator<ExportFile> {},
    file: async () => null,
    close: async () => {},
  };
  const reading = detectAndRead(source, [discordReader], { signal: controller.signal });
  await assert.rejects(async () => {
    for await (const _ of reading.records) {
      // nothing
    }
  }, /abort/i);
});
