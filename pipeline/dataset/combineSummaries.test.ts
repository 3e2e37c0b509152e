import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ExportRecord } from "../model/conversation.js";
import { combineSummaries } from "./combineSummaries.js";
import { inspect } from "./inspect.js";
import { bob, masha, me, RecordFixture } from "./test/recordFixture.js";

const together = (...parts: RecordFixture[]) => {
  const records: ExportRecord[] = parts.flatMap((p) => p.records);
  return async function* () {
    yield* records;
  };
};

/** Two exports of one person: Telegram (with the account record) and another chat file, renames included. */
const telegram = () =>
  new RecordFixture()
    .account(me.id, null)
    .chat("100", "Маша")
    .msg(masha.id, masha.name, "привет")
    .msg(me.id, me.name, "привет")
    .msg(me.id, "Ваня", "как ты")
    .skipped("unreadable", "result.json:3")
    .chat("200", "Группа", "group")
    .msg(bob.id, bob.name, "hi")
    .msg(me.id, me.name, "hey");
const second = () =>
  new RecordFixture()
    .at(Date.UTC(2023, 5, 1))
    .account(me.id, me.name)
    .chat("100", "Маша и я", "personal", "other/result.json")
    .msg(masha.id, null, "а это раньше было")
    .msg(me.id, "Иван", "да")
    .msg("user7", "Оля", "и я тут")
    .skipped("too large", "other/result.json:9")
    .after(400, "h")
    .msg(me.id, "И. П.", "пока");

describe("combineSummaries", () => {
  it("says what inspecting the exports together says", async () => {
    const parts = [telegram(), second()];
    const combined = combineSummaries(await Promise.all(parts.map((p) => inspect(p.source()))));
    assert.deepEqual(combined, await inspect(together(...parts)));
    const reversed = [second(), telegram()];
    assert.deepEqual(
      combineSummaries(await Promise.all(reversed.map((p) => inspect(p.source())))),
      await inspect(together(...reversed)),
    );
  });

  it("keeps the names the joint read keeps when a part recorded as many as it keeps", async () => {
    const renames = (names: string[], source: string) => {
      const f = new RecordFixture().chat("1", "c", "personal", source);
      for (const name of names) f.msg(me.id, name, name);
      return f;
    };
    const parts = [renames(["a", "b", "c"], "x"), renames(["b", "d", "e", "f", "g", "h"], "y")];
    const combined = combineSummaries(await Promise.all(parts.map((p) => inspect(p.source()))));
    assert.deepEqual(combined, await inspect(together(...parts)));
    assert.deepEqual(combined?.participants[0]?.names, ["a", "b", "c", "d", "e"]);
  });

  it("is one part's own summary for one part", async () => {
    const summary = await inspect(telegram().source());
    assert.equal(combineSummaries([summary]), summary);
  });

  it("gives up where the parts cannot tell: a chat in two parts, a message without its chat", async () => {
    const same = [telegram(), telegram()];
    assert.equal(combineSummaries(await Promise.all(same.map((p) => inspect(p.source())))), null);
    const orphan = new RecordFixture();
    orphan.records.push({
      type: "message",
      message: {
        id: "9",
        chatId: "100",
        authorId: me.id,
        authorName: me.name,
        timestamp: 0,
        text: "x",
        kind: "text",
      },
    });
    const parts = [telegram(), orphan];
    assert.equal(combineSummaries(await Promise.all(parts.map((p) => inspect(p.source())))), null);
  });
});
