import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { WHATSAPP_MARKERS } from "./markerTable.js";
import { readFile } from "./test/collect.js";
import { fileFromBytes } from "./test/exportFiles.js";

const ANDROID = "14.03.2023, 10:00 - ";
const IOS = "[14.03.23, 10:00:00] ";

async function said(body: string, header = ANDROID) {
  const r = await readFile(fileFromBytes(`${header}Ann: ${body}\n`));
  assert.equal(r.messages.length, 1, JSON.stringify(r.skipped));
  return r.messages[0]!;
}

const KIND_OF: Record<string, string> = { sticker: "sticker", contact: "contact" };
const MEDIA_TYPE_OF: Record<string, string> = { contact: "file" };

describe("WhatsApp marker table: every string of every language", () => {
  for (const [lang, m] of Object.entries(WHATSAPP_MARKERS)) {
    test(`${lang}: Android and iOS media left out of the export`, async () => {
      for (const marker of m.androidOmitted) {
        const msg = await said(marker);
        assert.deepEqual(
          [msg.kind, msg.text, msg.media],
          ["media", "", [{ type: "file", omitted: true }]],
          marker,
        );
        assert.equal((await said(marker.toLowerCase())).kind, "media", marker);
      }
      for (const [type, markers] of Object.entries(m.iosOmitted)) {
        for (const marker of markers ?? []) {
          const want = [KIND_OF[type] ?? "media", "", [{ type: MEDIA_TYPE_OF[type] ?? type, omitted: true }]];
          const msg = await said(`\u200E${marker}`, IOS);
          assert.deepEqual([msg.kind, msg.text, msg.media], want, marker);
          if (type === "file") {
            const doc = await said(`report.pdf • 3 pages ${marker}`, IOS);
            assert.deepEqual([doc.kind, doc.media], ["media", [{ type: "file", omitted: true }]], marker);
          }
          // The same words inside a sentence are the author's.
          assert.equal((await said(`why ${marker} again`, IOS)).kind, "text", marker);
        }
      }
    });

    test(`${lang}: attached files`, async () => {
      for (const word of m.androidAttached) {
        const a = await said(`IMG-20200101-WA0001.jpg (${word})\nnice view`);
        assert.deepEqual(
          [a.kind, a.text, a.media],
          ["text", "nice view", [{ type: "photo", path: "IMG-20200101-WA0001.jpg" }]],
          word,
        );
      }
      for (const word of m.iosAttached) {
        const i = await said(`\u200E<${word}: 00000012-PHOTO-2020-01-01-12-00-00.jpg>`, IOS);
        assert.deepEqual(
          [i.kind, i.media],
          ["media", [{ type: "photo", path: "00000012-PHOTO-2020-01-01-12-00-00.jpg" }]],
          word,
        );
      }
    });

    test(`${lang}: deleted, edited, missed calls, encryption banner`, async () => {
      for (const marker of m.deleted) {
        for (const body of [marker, `${marker}.`, `\u200E${marker}`]) {
          const msg = await said(body, IOS);
          assert.deepEqual([msg.kind, msg.text], ["deleted", ""], body);
        }
      }
      for (const marker of m.edited) {
        for (const body of [
          `see you <${marker}>`,
          `see you <${marker}.>`,
          `see you\u00A0\u200E<${marker}>`,
        ]) {
          const msg = await said(body);
          assert.deepEqual([msg.kind, msg.text, msg.edited], ["text", "see you", true], body);
        }
        const only = await said(`<${marker}>`);
        assert.deepEqual([only.text, only.edited], ["", true], marker);
      }
      for (const notice of m.missedCalls) {
        const msg = await said(notice);
        assert.deepEqual([msg.kind, msg.authorId], ["service", "Ann"], notice);
        assert.equal((await said(`${notice} from my boss today, sorry`)).kind, "text", notice);
      }
      for (const fragment of m.encryption) {
        const msg = await said(`\u200EMessages: ${fragment}.`, IOS);
        assert.deepEqual([msg.kind, msg.authorId], ["service", null], fragment);
      }
    });
  }
});

describe("WhatsApp markers: the Russian Android bug and unknown markers", () => {
  test("`Алексей: <Без медиафайлов>` is omitted media, not Алексей's words", async () => {
    const r = await readFile(fileFromBytes(`${ANDROID}Алексей: <Без медиафайлов>\n`));
    const m = r.messages[0]!;
    assert.deepEqual([m.authorId, m.kind, m.text], ["Алексей", "media", ""]);
  });

  test("a lone `<…>` nobody knows is an unknown marker, never text", async () => {
    for (const body of ["<Медиафайлы скрыты>", "<Some future marker>", " <x> "]) {
      const m = await said(body);
      assert.deepEqual([m.kind, m.text], ["unknownMarker", ""], body);
    }
    for (const body of ["<3", "<3 you", "a <b> c", "<b>bold</b>", "<>", "<a>\n<b>", "->"]) {
      assert.equal((await said(body)).kind, "text", body);
    }
  });
});
