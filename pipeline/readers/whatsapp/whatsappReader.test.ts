import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { chatNameFromPath } from "./chatIdentity.js";
import { readFile } from "./test/collect.js";
import { fileFromBytes } from "./test/exportFiles.js";
import { whatsappReader } from "./whatsappReader.js";

const H = "14/03/2023, 10:00 - ";
const I = "[14.03.23, 10:00:00] ";

async function one(body: string, header = H) {
  const r = await readFile(fileFromBytes(`${header}${body}\n`));
  assert.equal(r.messages.length, 1, JSON.stringify(r.skipped));
  return r.messages[0]!;
}

/** A message by Ann. */
const said = (body: string, header = H) => one(`Ann: ${body}`, header);

describe("WhatsApp reader", () => {
  test("CRLF, BOM, LRM and multi-line messages", async () => {
    const text = `\uFEFF\u200E${I}Ann: first\r\nsecond\r\n\r\nthird\r\n${I}Bob: \u200Ehi\r\n`;
    const r = await readFile(fileFromBytes(text, "_chat.txt", 3));
    assert.deepEqual(
      r.messages.map((m) => [m.authorId, m.text]),
      [
        ["Ann", "first\nsecond\n\nthird"],
        ["Bob", "hi"],
      ],
    );
    assert.equal(r.messages[0]?.timestamp, Date.UTC(2023, 2, 14, 10, 0, 0));
  });

  test("authors: invisible marks, no-break spaces and the iOS `~ ` prefix are normalised", async () => {
    assert.equal((await one("\u200E~\u202FMax Mustermann: hi", I)).authorId, "Max Mustermann");
    assert.equal((await one("+49\u00A0151\u00A012345: hi")).authorId, "+49 151 12345");
  });

  test("system lines in several languages are service messages without author", async () => {
    for (const body of [
      "Messages and calls are end-to-end encrypted. No one outside of this chat can read them.",
      "Ann added Bob",
      "Person B hat dich entfernt.",
      "Анна добавил(а) Бориса",
      "Your security code with Ann changed. Tap to learn more.",
    ]) {
      const m = await one(body);
      assert.deepEqual([m.kind, m.authorId, m.text], ["service", null, body]);
    }
  });

  test("group detection: group events or more than two authors; else personal", async () => {
    const chatType = async (text: string) => (await readFile(fileFromBytes(text))).chat.type;
    assert.equal(await chatType(`${H}Ann created group "x"\n${H}Ann: hi\n`), "group");
    assert.equal(await chatType(`${H}Ann: hi\n${H}Bob: hi\n${H}Cid: hi\n`), "group");
    assert.equal(await chatType(`${H}Ann is a contact\n${H}Ann: hi\n${H}Bob: hi\n`), "personal");
    // An iOS banner under the group's name is not a third author.
    assert.equal(
      await chatType(
        `${I}Ann: \u200EMessages and calls are end-to-end encrypted.\n${I}Ann: hi\n${I}Bob: yo\n`,
      ),
      "personal",
    );
  });

  test("media omitted in several languages", async () => {
    const cases: [string, string, string][] = [
      ["<Media omitted>", "media", "file"],
      ["<Медиа отсутствуют>", "media", "file"],
      ["<Medien ausgeschlossen>", "media", "file"],
      ["\u200Eimage omitted", "media", "photo"],
      ["video omitted", "media", "video"],
      ["audio omitted", "media", "audio"],
      ["GIF omitted", "media", "gif"],
      ["sticker omitted", "sticker", "sticker"],
      ["document omitted", "media", "file"],
      ["report.pdf • 3 pages document omitted", "media", "file"],
      ["Contact card omitted", "contact", "file"],
      ["Bild weggelassen", "media", "photo"],
    ];
    for (const [body, kind, type] of cases) {
      const m = await said(body);
      assert.deepEqual([m.kind, m.text, m.media], [kind, "", [{ type, omitted: true }]], body);
    }
    assert.equal((await said("the photo omitted")).kind, "text");
  });

  test("attached files: Android with caption, iOS, contacts, localized `(Datei angehängt)`", async () => {
    const a = await said("IMG-20200101-WA0001.jpg (file attached)\nnice view");
    assert.deepEqual(
      [a.kind, a.text, a.media],
      ["text", "nice view", [{ type: "photo", path: "IMG-20200101-WA0001.jpg" }]],
    );
    const v = await said("PTT-20200101-WA0002.opus (file attached)");
    assert.deepEqual([v.kind, v.media], ["media", [{ type: "voice", path: "PTT-20200101-WA0002.opus" }]]);
    const d = await said("DOC-20200101-WA0003.pdf (Datei angehängt)");
    assert.deepEqual(d.media, [{ type: "file", path: "DOC-20200101-WA0003.pdf" }]);
    const c = await said("John Doe.vcf (file attached)");
    assert.deepEqual([c.kind, c.media], ["contact", [{ type: "file", path: "John Doe.vcf" }]]);
    const i = await said("\u200E<attached: 00000012-PHOTO-2020-01-01-12-00-00.jpg>", I);
    assert.deepEqual(
      [i.kind, i.media],
      ["media", [{ type: "photo", path: "00000012-PHOTO-2020-01-01-12-00-00.jpg" }]],
    );
    const s = await said("<attached: 00000013-STICKER-2020-01-01-12-00-00.webp>", I);
    assert.equal(s.kind, "sticker");
    const doc = await said("report • \u200E2 pages \u200E<attached: 00000014-report.pdf>", I);
    assert.deepEqual(
      [doc.kind, doc.text, doc.media],
      ["media", "", [{ type: "file", path: "00000014-report.pdf" }]],
    );
  });

  test("deleted and edited markers", async () => {
    for (const body of [
      "This message was deleted",
      "You deleted this message",
      "Это сообщение удалено",
      "Вы удалили это сообщение",
      "This message was deleted.",
    ]) {
      const m = await said(body);
      assert.deepEqual([m.kind, m.text], ["deleted", ""], body);
    }
    const e = await said("see you at 8 <This message was edited>");
    assert.deepEqual([e.kind, e.text, e.edited], ["text", "see you at 8", true]);
    const r = await said("увидимся <Сообщение изменено>");
    assert.deepEqual([r.text, r.edited], ["увидимся", true]);
  });

  test("location, poll, null body, authored notices", async () => {
    const loc = await said("Cafe Central\nVienna\nlocation: https://maps.google.com/?q=48.21,16.36");
    assert.equal(loc.kind, "location");
    assert.equal((await said("https://maps.google.com/?q=48.21,16.36")).kind, "location");
    assert.equal((await said("POLL:\nWhen?\nOPTION: Monday (1 vote)", I)).kind, "poll");
    assert.equal((await said("null")).kind, "unsupported");
    const timer = await said("Ann updated the message timer. New messages will disappear.");
    assert.deepEqual([timer.kind, timer.authorId], ["service", "Ann"]);
  });

  test("author split: first `: `, `Name:` at line end, `Name:.` only for known authors, quotes", async () => {
    const r = await readFile(
      fileFromBytes(
        `${H}Ann: a: b\n${H}Ann:.\n${H}Bob:x\n${H}Cid:\nnext line\n${H}Ann created group "A: B"\n`,
      ),
    );
    assert.deepEqual(
      r.messages.map((m) => [m.authorId, m.text]),
      [
        ["Ann", "a: b"],
        ["Ann", "."],
        [null, "Bob:x"],
        ["Cid", "next line"],
        [null, 'Ann created group "A: B"'],
      ],
    );
  });

  test("12-hour clock edge cases", async () => {
    const at = async (h: string) => new Date((await one("x", `1/13/21, ${h} - A: `.slice(0, -3))).timestamp);
    assert.equal((await at("12:05 AM")).getUTCHours(), 0);
    assert.equal((await at("12:05 PM")).getUTCHours(), 12);
    assert.equal((await at("1:05 p. m.")).getUTCHours(), 13);
  });

  test("chat name from the file name", () => {
    assert.equal(chatNameFromPath("WhatsApp Chat with Маша.txt"), "Маша");
    assert.equal(chatNameFromPath("export/Чат WhatsApp с Машей.txt"), "Машей");
    assert.equal(chatNameFromPath("_chat.txt"), null);
    assert.equal(chatNameFromPath("notes.txt"), null);
  });

  test("accepts: .txt whose first non-empty lines hold a header", () => {
    const file = (path: string) => ({
      path,
      label: path,
      size: 0,
      open: () => Promise.reject(new Error("unused")),
    });
    const ok = (path: string, head: string) => whatsappReader.accepts(file(path), Buffer.from(head));
    assert.ok(ok("_chat.txt", `${I}Ann: hi\n`));
    assert.ok(ok("Chat.txt", `WhatsApp Chat - Person B\n\n${H}Ann: hi\n`));
    assert.ok(ok("a.TXT", `\uFEFF\u200E${I}Ann: hi`));
    assert.ok(!ok("result.json", `${H}Ann: hi\n`));
    assert.ok(!ok("notes.txt", "just notes\nmore\n"));
    assert.ok(!ok("bin.txt", `${H}\u0000`));
  });
});
