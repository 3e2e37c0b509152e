import assert from "node:assert/strict";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { tempDir } from "../archive/test/tempDir.js";
import { TdesktopHtmlWriter, tdesktopAccountPage } from "../readers/telegramHtml/test/tdesktopHtml.js";
import { vkConversationPages } from "../readers/vk/test/vkArchive.js";
import { build } from "./build.js";
import { exportFilesSource } from "./exportFilesSource.js";
import { inspect } from "./inspect.js";
import { resolveOwner } from "./owner.js";
import type { ChatMessagesRecord } from "./sampleRecord.js";

async function writeTree(root: string, files: ReadonlyArray<[string, string | Buffer]>): Promise<void> {
  for (const [path, content] of files) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

async function buildFolder(folder: string, selectors: string[]) {
  const source = exportFilesSource([folder]).records;
  const summary = await inspect(source);
  const owner = resolveOwner(summary, selectors);
  const out = join(dirname(folder), "out");
  const stats = await build(source, { owner, outDir: out, valFraction: 0, summary });
  const train = (await readFile(join(out, "train.jsonl"), "utf8"))
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ChatMessagesRecord);
  const assistant = train.flatMap((s) =>
    s.messages.filter((m) => m.role === "assistant").map((m) => m.content),
  );
  return { summary, owner, stats, assistant };
}

const minute = (n: number) => String(1_704_103_200 + n * 60);

describe("dataset build from HTML exports", () => {
  it("a Telegram Desktop HTML export: one chat across its pages, the owner chosen by name", async () => {
    const root = join(tempDir(), "DataExport_2024-01-02");
    const say = (id: number, from: "Маша" | "Аня", text: string, fields: Record<string, unknown> = {}) => ({
      id,
      type: "message",
      date_unixtime: minute(id),
      from,
      from_id: from === "Аня" ? "user1" : "user7",
      text,
      ...fields,
    });
    const messages = [
      say(1, "Маша", "привет, как дела?"),
      say(2, "Аня", "отлично, а у тебя?"),
      say(3, "Маша", "тоже"),
      say(4, "Аня", "переслала", { forwarded_from: "Канал" }),
      say(5, "Маша", "идём в кино?"),
      say(6, "Аня", "давай в семь"),
    ];
    const pages = new TdesktopHtmlWriter({ name: "Маша", folder: "chats/chat_001", pageSize: 2 }).pages(
      messages,
    );
    await writeTree(root, pages);
    const { summary, owner, stats, assistant } = await buildFolder(root, ["Аня"]);
    assert.deepEqual(summary.formats, ["telegram-html"]);
    assert.deepEqual(owner.ids, ["name:Аня"]);
    assert.equal(stats.chats.length, 1, "the three pages are one chat");
    assert.equal(stats.chats[0]?.messages, 6);
    assert.deepEqual(assistant.sort(), ["давай в семь", "отлично, а у тебя?"]);

    // A full export's front page names the account: the owner needs no choosing.
    await writeFile(join(root, "export_results.html"), tdesktopAccountPage("Аня", ""));
    const named = await buildFolder(root, []);
    assert.deepEqual(named.owner.ids, ["name:Аня"]);
    assert.equal(named.owner.matchedBy, "account");
    assert.deepEqual(named.assistant.sort(), ["давай в семь", "отлично, а у тебя?"]);
  });

  it("a VK archive: 'Вы' is the owner without being asked", async () => {
    const root = join(tempDir(), "Archive");
    const ivan = { id: 5, name: "Иван" };
    const pages = vkConversationPages(
      [
        { id: 1, author: ivan, date: [2021, 3, 1, 10, 0, 0], text: "ну что, идёшь?" },
        { id: 2, author: null, date: [2021, 3, 1, 10, 1, 0], text: "иду, буду через час" },
        { id: 3, author: ivan, date: [2021, 3, 1, 10, 2, 0], text: "жду" },
      ],
      { peerId: 5, name: "Иван", charset: "windows-1251" },
    );
    await writeTree(root, pages);
    const { summary, owner, assistant } = await buildFolder(root, []);
    assert.deepEqual(summary.formats, ["vk-html"]);
    assert.deepEqual(owner.ids, ["vk:self"]);
    assert.equal(owner.matchedBy, "account");
    assert.deepEqual(assistant, ["иду, буду через час"]);
  });
});
