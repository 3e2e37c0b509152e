import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ChatMessage, ExportRecord } from "../../model/conversation.js";
import type { ExportSource } from "../../model/exportSource.js";
import { detectAndRead } from "../exportReaders.js";
import { detectCharset } from "../html/index.js";
import { telegramHtmlReader } from "../telegramHtml/index.js";
import { memorySource } from "../telegramHtml/test/memorySource.js";
import { TdesktopHtmlWriter } from "../telegramHtml/test/tdesktopHtml.js";
import { type VkWrittenMessage, vkConversationPages } from "./test/vkArchive.js";
import { looksLikeVkPage } from "./vkHead.js";
import { vkReader } from "./vkReader.js";
import { fromVkDate } from "./vkTime.js";

async function read(source: ExportSource): Promise<ExportRecord[]> {
  const records: ExportRecord[] = [];
  for await (const r of detectAndRead(source, [telegramHtmlReader, vkReader]).records) records.push(r);
  return records;
}

const messagesOf = (records: ExportRecord[]): ChatMessage[] =>
  records.flatMap((r) => (r.type === "message" ? [r.message] : []));

const ivan = { id: 101, name: "Иван Петров" };

/** 120 messages over three pages, the owner and Иван taking turns, a minute apart. */
function dialogue(): VkWrittenMessage[] {
  return Array.from({ length: 120 }, (_, i) => ({
    id: 1000 + i,
    author: i % 2 === 0 ? null : ivan,
    date: [2021, 1, 12 + Math.floor(i / 60), 14, i % 60, 33] as VkWrittenMessage["date"],
    text: i === 0 ? "Привет, ёжик! Ї ї 😀 <тег> & «кавычки»\nвторая строка" : `сообщение ${i}`,
  }));
}

describe("VK archive reader", () => {
  it("reads one conversation alike from windows-1251 and UTF-8 archives, oldest message first", async () => {
    const results: ChatMessage[][] = [];
    for (const options of [
      { charset: "windows-1251" as const },
      { charset: "utf-8" as const },
      { charset: "utf-8" as const, bom: true },
      { charset: "utf-8" as const, newestFirst: false },
    ]) {
      const pages = vkConversationPages(dialogue(), { peerId: 101, name: "Иван Петров", ...options });
      assert.equal(pages.length, 3);
      const records = await read(memorySource([...pages].reverse(), 256));
      assert.equal(records.filter((r) => r.type === "skipped").length, 0);
      results.push(messagesOf(records));
    }
    const [cp1251, ...others] = results;
    for (const other of others) assert.deepEqual(other, cp1251);
    assert.equal(cp1251?.length, 120);
    assert.deepEqual(
      cp1251?.map((m) => m.id),
      dialogue().map((m) => String(m.id)),
    );
    assert.equal(cp1251?.[0]?.text, "Привет, ёжик! Ї ї 😀 <тег> & «кавычки»\nвторая строка");
    assert.deepEqual(
      [cp1251?.[0]?.authorId, cp1251?.[0]?.authorName, cp1251?.[1]?.authorId, cp1251?.[1]?.authorName],
      ["vk:self", "Вы", "vk:id101", "Иван Петров"],
    );
    assert.equal(cp1251?.[0]?.timestamp, Date.UTC(2021, 0, 12, 14, 0, 33));
  });

  it("says the archive's owner is the account ('Вы'), names the conversation and its kind", async () => {
    const pages = [
      ...vkConversationPages(dialogue().slice(0, 3), { peerId: 101, name: "Иван Петров", charset: "utf-8" }),
      ...vkConversationPages(dialogue().slice(0, 3), {
        peerId: 2000000007,
        name: "Дача",
        charset: "windows-1251",
      }),
      ...vkConversationPages(dialogue().slice(0, 3), { peerId: -5000, name: "Магазин", charset: "utf-8" }),
    ];
    const [[, frame] = ["", Buffer.alloc(0)]] = vkConversationPages([], {
      peerId: 1,
      name: "Сообщения",
      charset: "utf-8",
    });
    const records = await read(memorySource([["messages/index-messages.html", frame], ...pages]));
    assert.equal(
      records.filter((r) => r.type === "skipped").length,
      0,
      "the archive's other pages are no unknown files",
    );
    const accounts = records.flatMap((r) => (r.type === "account" ? [r.owner] : []));
    assert.deepEqual(new Set(accounts.map((a) => a.id)), new Set(["vk:self"]));
    const chats = records.flatMap((r) => (r.type === "chat" ? [r.chat] : []));
    assert.deepEqual(
      chats.map((c) => [c.id, c.name, c.type, c.format]),
      [
        ["101", "Иван Петров", "personal", "vk-html"],
        ["2000000007", "Дача", "group", "vk-html"],
        ["-5000", "Магазин", "bot", "vk-html"],
      ],
    );
  });

  it("turns attachments into placeholders and keeps edits, forwards and captions apart", async () => {
    const at = (id: number, fields: Partial<VkWrittenMessage>): VkWrittenMessage => ({
      id,
      author: null,
      date: [2022, 5, 1, 10, id, 0],
      text: "",
      ...fields,
    });
    const link = "https://vk.com/photo1_2";
    const messages = [
      at(1, { attachments: [{ description: "Фотография", link }] }),
      at(2, { text: "подпись", attachments: [{ description: "Фотография", link }] }),
      at(3, { attachments: [{ description: "Стикер" }] }),
      at(4, { author: ivan, attachments: [{ description: "Голосовое сообщение", link }] }),
      at(5, { attachments: [{ description: "1 прикреплённое сообщение" }] }),
      at(6, { text: "смотри, что пишут", attachments: [{ description: "2 прикреплённых сообщения" }] }),
      at(7, { text: "исправлено", edited: true }),
      at(8, { attachments: [{ description: "Запись на стене", link: "https://vk.com/wall1_2" }] }),
      at(9, { attachments: [{ description: "Карта" }] }),
    ];
    const got = messagesOf(
      await read(
        memorySource(vkConversationPages(messages, { peerId: 1, name: "Я", charset: "windows-1251" })),
      ),
    );
    const view = (m: ChatMessage) => [m.kind, m.text, m.media ?? null, m.forwardedFrom, m.edited ?? false];
    assert.deepEqual(got.map(view), [
      ["media", "", [{ type: "photo", omitted: true }], undefined, false],
      ["text", "подпись", [{ type: "photo", omitted: true }], undefined, false],
      ["sticker", "", [{ type: "sticker", omitted: true }], undefined, false],
      ["media", "", [{ type: "voice", omitted: true }], undefined, false],
      ["text", "", null, null, false],
      ["text", "смотри, что пишут", null, undefined, false],
      ["text", "исправлено", null, undefined, true],
      ["media", "", [{ type: "file", omitted: true }], undefined, false],
      ["location", "", null, undefined, false],
    ]);
  });

  it("reads an English archive ('You', 'at')", async () => {
    const pages = vkConversationPages(dialogue().slice(0, 2), {
      peerId: 101,
      name: "Ivan",
      charset: "utf-8",
      language: "en",
    });
    const got = messagesOf(await read(memorySource(pages)));
    assert.deepEqual(
      got.map((m) => [m.authorId, m.timestamp]),
      [
        ["vk:self", Date.UTC(2021, 0, 12, 14, 0, 33)],
        ["vk:id101", Date.UTC(2021, 0, 12, 14, 1, 33)],
      ],
    );
  });
});

describe("VK dates and sniffing", () => {
  it("reads every Russian month, abbreviated or whole", () => {
    const months = ["янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"];
    months.forEach((month, i) => {
      assert.equal(fromVkDate(`Вы, 5 ${month} 2020 в 9:07:01`), Date.UTC(2020, i, 5, 9, 7, 1), month);
    });
    assert.equal(fromVkDate("1 января 2019 в 0:00:00"), Date.UTC(2019, 0, 1));
    assert.equal(fromVkDate("31 фев 2020 в 10:00:00"), null);
    assert.equal(fromVkDate("вчера в 10:00"), null);
  });

  it("accepts VK pages in either charset and refuses tdesktop's", () => {
    const [[, cp1251] = ["", Buffer.alloc(0)]] = vkConversationPages(dialogue().slice(0, 1), {
      peerId: 1,
      name: "Я",
      charset: "windows-1251",
    });
    const [[, utf8] = ["", Buffer.alloc(0)]] = vkConversationPages(dialogue().slice(0, 1), {
      peerId: 1,
      name: "Я",
      charset: "utf-8",
    });
    assert.ok(looksLikeVkPage("messages/1/messages0.html", cp1251));
    assert.ok(looksLikeVkPage("Архив/messages/1/messages50.html", utf8));
    assert.ok(!looksLikeVkPage("messages/1/index.html", utf8));
    const tdesktop = new TdesktopHtmlWriter({ name: "Маша" }).pages([])[0]?.[1] ?? "";
    assert.ok(!looksLikeVkPage("messages.html", Buffer.from(tdesktop)));
    assert.equal(detectCharset(cp1251), "windows-1251");
    assert.equal(detectCharset(utf8), "utf-8");
  });

  it("tells the charset of an undeclared page from its bytes", () => {
    assert.equal(detectCharset(Buffer.from([0xef, 0xbb, 0xbf, 0x3c])), "utf-8");
    assert.equal(detectCharset(Buffer.from("<p>Привет</p>", "utf8")), "utf-8");
    assert.equal(detectCharset(Buffer.from([0x3c, 0x70, 0x3e, 0xcf, 0xf0, 0xe8])), "windows-1251");
    assert.equal(detectCharset(Buffer.from('<meta charset="cp1251">')), "windows-1251");
  });
});
