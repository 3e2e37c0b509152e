import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ExportRecord } from "../../model/conversation.js";
import type { ExportSource } from "../../model/exportSource.js";
import { detectAndRead } from "../exportReaders.js";
import { looksLikeTelegramHtml } from "./telegramHtmlHead.js";
import { readTelegramHtml, telegramHtmlReader } from "./telegramHtmlReader.js";
import { memorySource } from "./test/memorySource.js";
import { sameChatMessages } from "./test/sameChat.js";
import { TdesktopHtmlWriter, tdesktopAccountPage, tdesktopChatList } from "./test/tdesktopHtml.js";

async function readSource(source: ExportSource): Promise<ExportRecord[]> {
  const records: ExportRecord[] = [];
  for await (const record of detectAndRead(source, [telegramHtmlReader]).records) records.push(record);
  return records;
}

const ids = (records: ExportRecord[]) => records.flatMap((r) => (r.type === "message" ? [r.message.id] : []));

function group(count: number): Record<string, unknown>[] {
  const people = ["Маша", "Аня", "Петя"];
  return Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    type: "message",
    date_unixtime: String(1_704_103_200 + i * 1000),
    from: people[i % 3],
    from_id: `user${i % 3}`,
    text: `сообщение ${i + 1}`,
  }));
}

describe("telegram HTML reader: pages", () => {
  it("reads a chat's pages in order whatever order the upload lists them in", async () => {
    const pages = new TdesktopHtmlWriter({ name: "Группа", pageSize: 2 }).pages(group(23));
    assert.equal(pages.length, 12);
    const shuffled = [...pages].sort(([a], [b]) => (a < b ? -1 : 1)); // messages10.html before messages2.html
    assert.notDeepEqual(
      shuffled.map(([p]) => p),
      pages.map(([p]) => p),
    );
    const records = await readSource(memorySource(shuffled));
    assert.deepEqual(
      ids(records),
      Array.from({ length: 23 }, (_, i) => String(i + 1)),
    );
    assert.equal(records.filter((r) => r.type === "chat").length, 1);
    assert.equal(records.filter((r) => r.type === "skipped").length, 0);
  });

  it("still reads the pages that are there when the first is missing, once each", async () => {
    const pages = new TdesktopHtmlWriter({ name: "Группа", pageSize: 2 }).pages(group(6));
    const records = await readSource(memorySource(pages.slice(1).reverse()));
    assert.deepEqual(ids(records), ["3", "4", "5", "6"]);
  });

  it("names the chat from the page header and tells a group from a personal chat", async () => {
    const groupPages = new TdesktopHtmlWriter({ name: "Дача 2024", folder: "chats/chat_002" }).pages(
      group(5),
    );
    const personal = new TdesktopHtmlWriter({ name: "Маша", folder: "chats/chat_001" }).pages(
      sameChatMessages(),
    );
    const saved = new TdesktopHtmlWriter({ name: "Saved messages", folder: "chats/chat_003" }).pages(
      group(1),
    );
    const records = await readSource(memorySource([...personal, ...groupPages, ...saved]));
    const chats = records.flatMap((r) => (r.type === "chat" ? [r.chat] : []));
    assert.deepEqual(
      chats.map((c) => [c.id, c.name, c.type, c.format, c.source]),
      [
        ["chats/chat_001", "Маша", "personal", "telegram-html", "upload.zip!/chats/chat_001/messages.html"],
        ["chats/chat_002", "Дача 2024", "group", "telegram-html", "upload.zip!/chats/chat_002/messages.html"],
        [
          "chats/chat_003",
          "Saved messages",
          "saved",
          "telegram-html",
          "upload.zip!/chats/chat_003/messages.html",
        ],
      ],
    );
    // Each chat's messages follow its own record.
    const order = records.map((r) =>
      r.type === "chat" ? `chat:${r.chat.id}` : r.type === "message" ? r.message.chatId : r.type,
    );
    assert.equal(order[0], "chat:chats/chat_001");
    assert.equal(order.indexOf("chat:chats/chat_002"), sameChatMessages().length + 1);
  });

  it("takes a full export's chat kinds from lists/chats.html (bots and channels included)", async () => {
    const chats = [
      { folder: "chats/chat_001", name: "Маша", type: "private" },
      { folder: "chats/chat_002", name: "Погода бот", type: "bot" },
      { folder: "chats/chat_003", name: "Новости", type: "channel" },
      { folder: "chats/chat_004", name: "Дача 2024", type: "group" },
    ];
    const pages = chats.flatMap((chat) =>
      new TdesktopHtmlWriter({ name: chat.name, folder: chat.folder }).pages(group(2)),
    );
    const kinds = async (files: [string, string][]) =>
      (await readSource(memorySource(files))).flatMap((r) => (r.type === "chat" ? [r.chat.type] : []));
    // Without the list, two authors on the first page read as a personal chat, whatever it is.
    assert.deepEqual(await kinds(pages), ["personal", "personal", "personal", "personal"]);
    const list = tdesktopChatList(chats.map((c) => ({ ...c, messages: 2 })));
    assert.deepEqual(await kinds([...pages, ["lists/chats.html", list]]), [
      "personal",
      "bot",
      "channel",
      "group",
    ]);
    // A zip that wraps the export in a top folder.
    const top = (files: [string, string][]) =>
      files.map(([path, html]): [string, string] => [`DataExport_2024-01-02/${path}`, html]);
    assert.deepEqual(await kinds(top([...pages, ["lists/chats.html", list]])), [
      "personal",
      "bot",
      "channel",
      "group",
    ]);
  });

  it("takes the rest of a full export (lists, stylesheet, script) without reporting it as unknown", async () => {
    const list = tdesktopChatList([{ folder: "chats/chat_001", name: "Маша", type: "private", messages: 2 }]);
    const records = await readSource(
      memorySource([
        ["css/style.css", ".page_wrap { background: #fff; }"],
        ["js/script.js", "function CheckLocation() {}"],
        ["lists/chats.html", list],
        ["lists/contacts.html", list.replace(">Chats<", ">Contacts<")],
        ...new TdesktopHtmlWriter({ name: "Маша", folder: "chats/chat_001" }).pages(group(2)),
        ["notes.html", "<html><body>my notes</body></html>"],
      ]),
    );
    const skipped = records.flatMap((r) => (r.type === "skipped" ? [r.skipped.where] : []));
    assert.deepEqual(skipped, ["upload.zip!/notes.html"], "only the file that is no part of the export");
    assert.deepEqual(ids(records), ["1", "2"]);
  });

  it("drops the day separators and gives a service line the time of the message before it", async () => {
    const pages = new TdesktopHtmlWriter({ name: "Маша" }).pages(sameChatMessages());
    assert.match(pages[0]?.[1] ?? "", /id="message-1"/);
    const file = await memorySource(pages).file("messages.html");
    assert.ok(file);
    const messages: ExportRecord[] = [];
    for await (const record of readTelegramHtml(file)) messages.push(record);
    const byId = new Map(messages.flatMap((r) => (r.type === "message" ? [[r.message.id, r.message]] : [])));
    assert.ok(![...byId.keys()].some((id) => id.startsWith("-")));
    assert.equal(byId.get("21")?.kind, "service");
    assert.equal(byId.get("21")?.timestamp, byId.get("20")?.timestamp);
  });

  it("reports a message without a readable date as skipped, and reads on", async () => {
    const pages = new TdesktopHtmlWriter({ name: "Маша" }).pages(group(3));
    const first = pages[0]?.[1] ?? "";
    const broken = first.replace('title="01.01.2024 13:00:00', 'title="01.13.2024 13:00:00');
    assert.notEqual(broken, first);
    const records = await readSource(memorySource([["messages.html", broken]]));
    const skipped = records.flatMap((r) => (r.type === "skipped" ? [r.skipped] : []));
    assert.equal(skipped.length, 1);
    assert.match(skipped[0]?.reason ?? "", /date/);
    assert.match(skipped[0]?.where ?? "", /^upload\.zip!\/messages\.html message \d+$/);
    assert.equal(ids(records).length, 2);
  });
});

describe("telegram HTML: the account a full export names", () => {
  it("reads export_results.html's first and last name as the account, keyed like its own messages", async () => {
    const chat = new TdesktopHtmlWriter({ name: "Маша", folder: "chats/chat_001" }).pages(sameChatMessages());
    const records = await readSource(
      memorySource([["export_results.html", tdesktopAccountPage("Аня", "Смирнова")], ...chat]),
    );
    const accounts = records.flatMap((r) => (r.type === "account" ? [r.owner] : []));
    assert.deepEqual(accounts, [{ id: "name:Аня Смирнова", name: "Аня Смирнова" }]);
    const own = records.flatMap((r) =>
      r.type === "message" && r.message.authorName === "Аня Смирнова" ? [r] : [],
    );
    assert.ok(own.length > 5);
  });

  it("names no account when the page has no name, and a last name alone is enough", async () => {
    const none = await readSource(memorySource([["export_results.html", tdesktopAccountPage("", "")]]));
    assert.deepEqual(
      none.filter((r) => r.type !== "skipped"),
      [],
    );
    const last = await readSource(
      memorySource([["export_results.html", tdesktopAccountPage("", "Смирнова")]]),
    );
    assert.deepEqual(
      last.flatMap((r) => (r.type === "account" ? [r.owner.id] : [])),
      ["name:Смирнова"],
    );
  });
});

describe("telegram HTML sniffing", () => {
  const page = new TdesktopHtmlWriter({ name: "Маша" }).pages(group(1))[0]?.[1] ?? "";
  it("accepts tdesktop's pages by name and markup", () => {
    assert.ok(looksLikeTelegramHtml("messages.html", Buffer.from(page)));
    assert.ok(looksLikeTelegramHtml("chats/chat_001/messages12.html", Buffer.from(page)));
  });
  it("refuses other HTML and other names", () => {
    assert.ok(!looksLikeTelegramHtml("index.html", Buffer.from(page)));
    assert.ok(!looksLikeTelegramHtml("messages0.html", Buffer.from(page)));
    assert.ok(
      !looksLikeTelegramHtml("messages.html", Buffer.from('<html><title>VK</title><div class="message">')),
    );
  });
});
