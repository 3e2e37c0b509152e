import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { build } from "./build.js";
import { BuildOptions } from "./buildOptions.js";
import { WorkerSampleChecks } from "./sampleCheckRunners.js";
import { bob, masha, me, RecordFixture } from "./test/recordFixture.js";

// Replies that repeat (exact duplicates), differ by a smiley (near duplicates), carry emoji, a ZWJ family,
// personal data and three languages: every check whose work may move to the thread has something to do.
const replies = [
  "привет, как ты?",
  "привет, как ты?)",
  "ок, договорились 👍",
  "семья 👨‍👩‍👧 в сборе!",
  "мой номер +7 916 123-45-67",
  "живу на ул. Ленина, д. 5, кв. 12",
  "see you at 10 Downing Street",
  "Дякую, все добре",
  "...",
  "Хорошо.",
];

/** Several chats (personal and group), 400 sessions: more samples than a batch, several batches in flight. */
function fixture(): RecordFixture {
  const records = new RecordFixture();
  for (let chat = 0; chat < 4; chat++) {
    records.chat(`c${chat}`, `Чат ${chat}`, chat === 3 ? "group" : "personal");
    for (let session = 0; session < 100; session++) {
      records.after(8, "h");
      const other = chat === 3 && session % 2 ? bob : masha;
      records.msg(other.id, other.name, `вопрос ${session % 7}`);
      // Every fifth session's first reply is not made unique: those sessions repeat or nearly repeat others.
      const mark = session % 5 === 0 ? "" : ` ${chat}.${session}`;
      records.msg(me.id, me.name, `${replies[(session * (chat + 1)) % replies.length]!}${mark}`);
      if (session % 3 === 0) records.msg(me.id, me.name, replies[(session + 3) % replies.length]!);
      records.msg(other.id, other.name, `а ты? ${session}`);
      records.msg(me.id, me.name, replies[(session * 7 + chat) % replies.length]!);
    }
  }
  return records;
}

describe("sample checks on a thread", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "sample-checks-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const files = async (out: string) =>
    Promise.all(["train.jsonl", "val.jsonl", "stats.json"].map((f) => readFile(join(out, f), "utf8")));

  // With pseudonyms and without redaction the thread must change nothing either.
  const variants: Array<{ name: string; options: Partial<BuildOptions> }> = [
    { name: "near distance 3", options: { nearDuplicateDistance: 3 } },
    { name: "near distance -1", options: { nearDuplicateDistance: -1 } },
    { name: "pseudonyms", options: { pseudonymize: true } },
    { name: "no redaction", options: { redact: false } },
  ];
  for (const [v, variant] of variants.entries())
    it(`give the same files and stats as on the build's own thread (${variant.name})`, async () => {
      const options: Omit<BuildOptions, "outDir"> = {
        owner: { ids: [me.id], name: me.name },
        ...variant.options,
      };
      const records = fixture();
      const here = await build(records.source(), {
        ...options,
        outDir: join(dir, `never${v}`),
        sampleChecksThread: "never",
      });
      const thread = await build(records.source(), {
        ...options,
        outDir: join(dir, `always${v}`),
        sampleChecksThread: "always",
      });
      assert.deepEqual(thread, here);
      assert.deepEqual(await files(join(dir, `always${v}`)), await files(join(dir, `never${v}`)));
      // The fixture exercises what it is meant to: batches, dropped duplicates, emoji, redactions.
      assert.ok(here.samples > 200, `samples: ${here.samples}`);
      assert.ok((here.droppedSamples.duplicate ?? 0) > 0, JSON.stringify(here.droppedSamples));
      if (here.options.nearDuplicateDistance >= 0) assert.ok((here.droppedSamples.nearDuplicate ?? 0) > 0);
      assert.ok(here.styleProfile.emojiMessageShare > 0);
      if (here.options.redact) assert.ok(here.redacted.phone > 0 && here.redacted.address > 0);
      else assert.equal(here.redacted.phone, 0);
      if (here.options.pseudonymize)
        assert.match(await readFile(join(dir, `always${v}`, "train.jsonl"), "utf8"), /Контакт/);
    });

  it("a closed thread fails the batches sent to it instead of leaving them waiting", async () => {
    const checks = new WorkerSampleChecks();
    await checks.close();
    await assert.rejects(
      checks.run({
        near: true,
        assistantTexts: ["да"],
        sampleTexts: ["да"],
        chatIds: ["c"],
        sessionStarts: [0],
        ownerMessages: ["да"],
      }),
      /closed/,
    );
  });
});
