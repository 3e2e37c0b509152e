import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ChatMessage, ExportRecord } from "../../model/conversation.js";
import type { ExportSource } from "../../model/exportSource.js";
import { readTelegramExport } from "../telegram/index.js";
import { exportFileFromBytes } from "../telegram/test/exportFiles.js";
import { readTelegramHtml } from "./telegramHtmlReader.js";
import { memorySource } from "./test/memorySource.js";
import { SAME_CHAT_HEADER, sameChatMessages } from "./test/sameChat.js";
import { TdesktopHtmlWriter } from "./test/tdesktopHtml.js";

async function collect(records: AsyncIterable<ExportRecord>): Promise<ExportRecord[]> {
  const all: ExportRecord[] = [];
  for await (const record of records) all.push(record);
  return all;
}

const messagesOf = (records: ExportRecord[]) =>
  records.flatMap((r) => (r.type === "message" ? [r.message] : []));

/** What both exports carry. Ids of authors and chats are the JSON's only (the HTML names no ids). */
function comparable(m: ChatMessage) {
  const dated = m.kind !== "service" && m.kind !== "unsupported";
  return {
    id: m.id,
    kind: m.kind,
    text: m.text,
    // tdesktop writes no author and no date on a service line.
    authorName: m.kind === "service" && !m.media ? undefined : m.authorName,
    timestamp: dated ? m.timestamp : undefined,
    replyToId: m.replyToId,
    forwardedFrom: m.forwardedFrom,
    viaBot: m.viaBot,
    media: m.media,
  };
}

async function readHtml(source: ExportSource, first: string): Promise<ExportRecord[]> {
  const file = await source.file(first);
  assert.ok(file);
  return collect(readTelegramHtml(file, undefined, { source }));
}

async function readJson(): Promise<ChatMessage[]> {
  const json = JSON.stringify({ ...SAME_CHAT_HEADER, messages: sameChatMessages() }, null, 1);
  return messagesOf(await collect(readTelegramExport(exportFileFromBytes(json))));
}

describe("telegram HTML reader: the same chat as the JSON export", () => {
  for (const pageSize of [1000, 4, 1]) {
    it(`reads the messages the JSON reader reads (pages of ${pageSize})`, async () => {
      const messages = sameChatMessages();
      const pages = new TdesktopHtmlWriter({ name: "Маша", pageSize }).pages(messages);
      const html = messagesOf(await readHtml(memorySource(pages), "messages.html"));
      const json = await readJson();
      assert.equal(json.length, messages.length);
      assert.deepEqual(html.map(comparable), json.map(comparable));
    });
  }

  it("keeps the media paths of a full export's chat folder relative to the export", async () => {
    const folder = "chats/chat_001";
    const messages = sameChatMessages().map((m) => {
      const out = { ...m };
      for (const key of ["photo", "file"] as const)
        if (typeof out[key] === "string" && !String(out[key]).startsWith("("))
          out[key] = `${folder}/${out[key]}`;
      return out;
    });
    const pages = new TdesktopHtmlWriter({ name: "Маша", folder, pageSize: 5 }).pages(messages);
    const records = await readHtml(memorySource(pages), `${folder}/messages.html`);
    const photo = messagesOf(records).find((m) => m.id === "4");
    assert.deepEqual(photo?.media, [
      { type: "photo", path: `${folder}/photos/photo_1@01-01-2024_10-03-20.jpg` },
    ]);
    const chat = records[0];
    assert.equal(chat?.type, "chat");
    if (chat?.type === "chat") assert.equal(chat.chat.id, folder);
  });

  it("reads the date titles of every UTC offset, and the old ones without an offset as wall time", async () => {
    const messages = sameChatMessages().slice(0, 3);
    for (const offset of [-480, 0, 330, 180]) {
      const pages = new TdesktopHtmlWriter({ name: "Маша", utcOffsetMinutes: offset }).pages(messages);
      const html = messagesOf(await readHtml(memorySource(pages), "messages.html"));
      assert.deepEqual(
        html.map((m) => m.timestamp),
        messages.map((m) => Number(m.date_unixtime) * 1000),
      );
    }
    const old = new TdesktopHtmlWriter({ name: "Маша", utcOffsetMinutes: null }).pages(messages);
    const [first] = messagesOf(await readHtml(memorySource(old), "messages.html"));
    assert.equal(first?.timestamp, Number(messages[0]?.date_unixtime) * 1000);
  });
});
