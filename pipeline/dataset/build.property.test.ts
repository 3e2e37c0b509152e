import assert from "node:assert/strict";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { redactText } from "../privacy/redactText.js";
import { build } from "./build.js";
import { ChatMessagesRecord } from "./sampleRecord.js";
import { me, RecordFixture } from "./test/recordFixture.js";

const authors = [me.id, "user2", "user3"] as const;
const kinds = ["text", "text", "text", "media", "sticker", "service", "deleted"] as const;

const message = fc.record({
  author: fc.constantFrom(...authors),
  kind: fc.constantFrom(...kinds),
  forwarded: fc.boolean(),
  gapMinutes: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 300, max: 900 })),
  words: fc.array(fc.constantFrom("да", "нет", "ok", "привет", "+79161234567", "ха", "))", "why", "🙂"), {
    minLength: 0,
    maxLength: 4,
  }),
});

describe("build (property)", () => {
  it("every assistant turn is made only of the owner's own (redacted) texts; only openers start with it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dataset-prop-"));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(message, { maxLength: 40 }),
        fc.constantFrom("personal", "group"),
        async (messages, type) => {
          const fixture = new RecordFixture().chat("c", "Chat", type as "personal" | "group");
          const ownerTexts = new Set<string>();
          messages.forEach((m, i) => {
            // Every text is unique and names its author and origin, so a leak is visible in the output.
            const origin = m.forwarded ? "fwd" : m.author === me.id ? "own" : "oth";
            const text = `${origin}${i} ${m.words.join(" ")}`.trim();
            fixture.after(m.gapMinutes).msg(m.author, m.author, m.kind === "text" ? text : "", {
              kind: m.kind,
              ...(m.forwarded ? { forwardedFrom: "Someone" } : {}),
            });
            if (origin === "own" && m.kind === "text") ownerTexts.add(redactText(text).text);
          });
          const out = join(dir, String(run++));
          await build(fixture.source(), {
            owner: { ids: [me.id], name: me.name },
            outDir: out,
            maxTurnChars: 200,
            maxSampleChars: 400,
            maxSampleTurns: 6,
          });
          const lines =
            (await readFile(join(out, "train.jsonl"), "utf8")) +
            (await readFile(join(out, "val.jsonl"), "utf8"));
          for (const line of lines.split("\n").filter(Boolean)) {
            const record = JSON.parse(line) as ChatMessagesRecord;
            const turns = record.messages.filter((m) => m.role !== "system");
            // A sample starts with a contact's turn, or is an opener: the owner's turn alone.
            if (turns[0]?.role !== "user")
              assert.deepEqual(
                turns.map((t) => t.role),
                ["assistant"],
              );
            assert.equal(turns.at(-1)?.role, "assistant");
            for (const turn of turns.filter((t) => t.role === "assistant"))
              for (const piece of turn.content.split("\n"))
                assert.ok(ownerTexts.has(piece), `${piece} is not the owner's`);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
