import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, test } from "node:test";
import { readFile } from "./test/collect.js";
import { corpusDir } from "./test/corpus.js";
import { fileFromPath } from "./test/exportFiles.js";

/**
 * Expected counts were established independently of the reader: header lines counted with grep, then each
 * file read by eye (continuation lines, the `3:22_AM` noise line, undated banner/title lines). Authors are the
 * distinct names that write at least one message, without iOS encryption banners' pseudo-authors.
 */
interface Expected {
  path: string;
  messages: number;
  authors: number;
  type: "group" | "personal";
  skipped: number;
  first?: string;
  last?: string;
}

const EXPECTED: Expected[] = [
  {
    path: "frozenspider__chat-history-manager/whatsapp-text_2023-10/WhatsApp Chat with +123 45 6789.txt",
    messages: 13,
    authors: 2,
    type: "personal",
    skipped: 0,
    // The file mixes `6/30/23` and `30/6/2023`: both must be 30 June.
    first: "2023-06-30T16:13:00.000Z",
    last: "2023-06-30T16:15:00.000Z",
  },
  {
    path: "Berektassuly__chatpack-cli/tests/fixtures/whatsapp_export.txt",
    messages: 7,
    authors: 2,
    type: "personal",
    skipped: 0,
    first: "2024-01-15T10:30:00.000Z",
    last: "2024-03-10T09:15:00.000Z",
  },
  {
    // FORMATS.md calls it dd/mm/yyyy, but no number exceeds 12: dates run forward only when read month first
    // (06/03 → 08/05 → 09/04), which is also what WCP's rule 2 concludes.
    path: "Pustur__whatsapp-chat-parser/samples/short-chat.txt",
    messages: 5,
    authors: 3,
    type: "group",
    skipped: 0,
    first: "2017-06-03T00:45:00.000Z",
    last: "2017-09-04T01:50:00.000Z",
  },
  {
    // Line 1 is an undated German banner: skipped with a reason.
    path: "Marcello2020-dev__whatsapp-export-tools/Fixtures/wet-group-chat/_chat.txt",
    messages: 7,
    authors: 3,
    type: "group",
    skipped: 1,
    first: "2024-01-01T09:59:00.000Z",
    last: "2024-01-01T10:05:00.000Z",
  },
  {
    // "Du" and "You" are the exporter's placeholders for one person, but the file gives no way to know that.
    path: "Marcello2020-dev__whatsapp-export-tools/Fixtures/wet-exporter-placeholder/_chat.txt",
    messages: 5,
    authors: 3,
    type: "group",
    skipped: 0,
  },
  {
    path: "Marcello2020-dev__whatsapp-export-tools/Fixtures/wet-group-event-bracket/_chat.txt",
    messages: 2,
    authors: 1,
    type: "group",
    skipped: 0,
    first: "2018-08-07T22:42:50.000Z",
    last: "2018-08-07T22:43:01.000Z",
  },
  {
    path: "Marcello2020-dev__whatsapp-export-tools/Fixtures/wet-weak-partner/000000/Chat.txt",
    messages: 2,
    authors: 2,
    type: "personal",
    skipped: 0,
  },
  {
    // Line 1 is a title line `WhatsApp Chat - Person B`.
    path: "Marcello2020-dev__whatsapp-export-tools/Fixtures/wet-two-party/000000/Chat.txt",
    messages: 2,
    authors: 2,
    type: "personal",
    skipped: 1,
  },
  {
    path: "mlomb__chat-analytics__AGPL-3.0/tests/samples/whatsapp/2A_5M.txt",
    messages: 5,
    authors: 2,
    type: "personal",
    skipped: 0,
  },
  {
    // Every date is 12/9/20: undecidable, so the locale default (day first) applies.
    path: "mlomb__chat-analytics__AGPL-3.0/tests/samples/whatsapp/4A_11M.txt",
    messages: 14,
    authors: 5,
    type: "group",
    skipped: 0,
    first: "2020-09-12T23:55:00.000Z",
    last: "2020-09-12T23:56:00.000Z",
  },
  {
    path: "Pustur__whatsapp-chat-parser-website/extracted/example-2019-nested/_chat.txt",
    messages: 100,
    authors: 3,
    type: "group",
    skipped: 0,
    first: "2019-06-20T15:58:47.000Z",
    last: "2019-06-20T19:54:58.000Z",
  },
  {
    path: "Pustur__whatsapp-chat-parser-website/extracted/example-2024/_chat.txt",
    messages: 52,
    authors: 3,
    type: "group",
    skipped: 0,
    first: "2019-06-20T15:58:47.000Z",
    last: "2019-06-20T16:45:28.000Z",
  },
  ...[
    "test_mmddyy_24hrs.txt",
    "test_ddmmyy_24hrs.txt",
    "test_[mmddyy]_24hrs.txt",
    "test_yyyymmdd_24hrs.txt",
  ].map(
    (name): Expected => ({
      path: `joweich__chat-miner/test/whatsapp/${name}`,
      messages: 9,
      authors: 5,
      type: "group",
      skipped: 0,
      first: "2019-01-01T11:25:00.000Z",
      last: "2021-12-30T22:01:00.000Z",
    }),
  ),
  {
    path: "joweich__chat-miner/test/whatsapp/test_mmddyyyy_12hrs.txt",
    messages: 9,
    authors: 5,
    type: "group",
    skipped: 0,
    first: "2019-01-01T11:25:00.000Z",
    last: "2021-12-30T22:01:00.000Z",
  },
  {
    // 10 lines, 9 headers: `1/23/23, 3:22_AM - …` is noise (FORMATS.md §2.4) and continues the line before.
    path: "langchain-ai__langchain-community/integration_tests/examples/whatsapp_chat.txt",
    messages: 9,
    authors: 7,
    type: "group",
    skipped: 0,
    first: "2023-05-05T15:48:11.000Z",
    last: "2023-06-29T00:16:00.000Z",
  },
  {
    path: "langchain-ai__langchain-community/unit_tests/chat_loaders/data/whatsapp_chat.txt",
    messages: 12,
    authors: 2,
    type: "personal",
    skipped: 0,
    first: "2023-08-15T09:12:33.000Z",
    last: "2023-08-15T21:25:16.000Z",
  },
];

const root = corpusDir();
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe("WhatsApp corpus", () => {
  test("the table covers every WhatsApp .txt in the corpus", () => {
    const found = execFileSync("find", [root, "-name", "*.txt"], { encoding: "utf8" })
      .trim()
      .split("\n")
      .map((p) => p.slice(root.length + 1))
      .sort();
    assert.deepEqual(found, EXPECTED.map((e) => e.path).sort());
  });

  for (const e of EXPECTED) {
    test(e.path, async () => {
      const r = await readFile(fileFromPath(join(root, e.path), e.path));
      assert.equal(r.messages.length, e.messages, "messages");
      const authors = new Set(r.messages.flatMap((m) => (m.authorId === null ? [] : [m.authorId])));
      assert.equal(authors.size, e.authors, `authors: ${[...authors].join(", ")}`);
      assert.equal(r.chat.type, e.type);
      assert.equal(r.chat.format, "whatsapp-txt");
      assert.equal(r.skipped.length, e.skipped, JSON.stringify(r.skipped));
      if (e.first) assert.equal(iso(r.messages[0]?.timestamp), e.first, "first date");
      if (e.last) assert.equal(iso(r.messages.at(-1)?.timestamp), e.last, "last date");
      assert.equal(new Set(r.messages.map((m) => m.id)).size, r.messages.length, "ids unique");
      for (const m of r.messages) assert.doesNotMatch(m.text, /[\u200E\u200F\r]/, `marks left in ${m.id}`);
    });
  }

  test("Android media, null body, timer notice and chat name (frozenspider)", async () => {
    const path = EXPECTED[0]?.path as string;
    const r = await readFile(fileFromPath(join(root, path), path));
    assert.equal(r.chat.name, "+123 45 6789");
    assert.equal(r.chat.id, path);
    const kinds = r.messages.map((m) => m.kind);
    assert.deepEqual(kinds, [
      ...["service", "service", "text", "text", "text", "text", "text"],
      ...["media", "media", "sticker", "unsupported", "media", "service"],
    ]);
    assert.equal(r.messages[2]?.text, "hello there!\n\nthis is a\nmulti-line message!");
    assert.deepEqual(r.messages[6]?.media, [{ type: "photo", path: "IMG-20230630-WA0000.jpg" }]);
    assert.equal(r.messages[6]?.text, "image comment");
    assert.deepEqual(r.messages[11]?.media, [{ type: "file", omitted: true }]);
  });

  test("iOS attachments, poll and system lines (Pustur 2024)", async () => {
    const path = "Pustur__whatsapp-chat-parser-website/extracted/example-2024/_chat.txt";
    const r = await readFile(fileFromPath(join(root, path), path));
    // An iOS `_chat.txt` names no chat; the group is named from its "created group" line.
    assert.equal(r.chat.name, "WhatsApp Chat Parser Example");
    const byKind = (k: string) => r.messages.filter((m) => m.kind === k);
    assert.deepEqual(
      byKind("media").map((m) => m.media?.[0]),
      [
        { type: "photo", path: "00000001-PHOTO-2019-06-20-16-00-15.jpg" },
        { type: "video", path: "00000002-VIDEO-2019-06-20-16-01-42.mp4" },
        { type: "audio", path: "00000003-AUDIO-2019-06-20-16-03-55.mp3" },
        { type: "file", path: "00000004-whatsapp-chat-parser-example.zip" },
      ],
    );
    assert.equal(byKind("poll").length, 1);
    assert.match(byKind("poll")[0]?.text ?? "", /^POLL:\nWhen can we meet\?\nOPTION: Thursday/);
    assert.deepEqual(
      byKind("service").map((m) => [m.authorId, m.text]),
      [
        [null, "Messages to this group are now secured with end-to-end encryption."],
        [null, "Loris created group “WhatsApp Chat Parser Example”"],
        [null, "Loris added Emily"],
        [null, "Loris added John"],
      ],
    );
  });

  test("iOS LRM-marked omitted images and the banner under the partner's name (LangChain unit)", async () => {
    const path = "langchain-ai__langchain-community/unit_tests/chat_loaders/data/whatsapp_chat.txt";
    const r = await readFile(fileFromPath(join(root, path), path));
    assert.deepEqual(
      r.messages.filter((m) => m.kind === "media").map((m) => [m.authorId, m.media]),
      Array(3).fill(["Dr. Feather", [{ type: "photo", omitted: true }]]),
    );
    assert.equal(r.messages[0]?.kind, "service");
    assert.equal(r.messages[0]?.authorId, null);
  });
});
