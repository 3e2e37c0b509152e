import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inspect } from "./inspect.js";
import { OwnerResolutionError, resolveOwner } from "./owner.js";
import { bob, masha, me, RecordFixture } from "./test/recordFixture.js";

const chats = () =>
  new RecordFixture()
    .chat("100", "Маша")
    .msg(masha.id, masha.name, "привет")
    .msg(me.id, me.name, "привет")
    .msg(me.id, me.name, "как ты")
    .chat("200", "Группа", "group")
    .msg(bob.id, bob.name, "hi")
    .msg(me.id, me.name, "hey")
    .msg("user9", "Маша", "я другая Маша");

describe("inspect", () => {
  it("summarises chats, participants, dates, account and skipped inputs", async () => {
    const f = chats().account(me.id, me.name).skipped("unreadable", "result.json:3");
    const summary = await inspect(f.source());
    assert.deepEqual(summary.formats, ["telegram-json"]);
    assert.equal(summary.messages, 6);
    assert.equal(summary.records, 10);
    assert.deepEqual(
      summary.chats.map((c) => [
        c.id,
        c.type,
        c.messages,
        c.participants.map((p) => `${p.id}:${p.messages}`),
      ]),
      [
        ["100", "personal", 3, ["user1:2", "user2:1"]],
        ["200", "group", 3, ["user1:1", "user3:1", "user9:1"]],
      ],
    );
    assert.deepEqual(
      summary.participants.map((p) => [p.id, p.messages, p.chats]),
      [
        ["user1", 3, 2],
        ["user2", 1, 1],
        ["user3", 1, 1],
        ["user9", 1, 1],
      ],
    );
    assert.deepEqual(summary.accountOwners, [{ id: me.id, name: me.name }]);
    assert.equal(summary.skippedInputs.total, 1);
    assert.equal(summary.dateRange!.last - summary.dateRange!.first, 5 * 60_000);
  });
});

describe("resolveOwner", () => {
  it("takes the account record when there is one", async () => {
    const summary = await inspect(chats().account(me.id, me.name).source());
    assert.deepEqual(resolveOwner(summary), { ids: [me.id], name: me.name, matchedBy: "account" });
  });
  it("matches a selector by exact id, then by case-insensitive name", async () => {
    const summary = await inspect(chats().source());
    assert.deepEqual(resolveOwner(summary, "user3"), { ids: ["user3"], name: "Bob", matchedBy: "selector" });
    assert.deepEqual(resolveOwner(summary, "  иван   ПЕТРОВ "), {
      ids: [me.id],
      name: me.name,
      matchedBy: "selector",
    });
    assert.deepEqual(resolveOwner(summary, "bob").ids, ["user3"]);
  });
  it("fails without account or selector, listing candidates most active first", async () => {
    const summary = await inspect(chats().source());
    assert.throws(
      () => resolveOwner(summary),
      (e: unknown) => {
        assert.ok(e instanceof OwnerResolutionError);
        assert.equal(e.candidates[0]!.id, me.id);
        assert.match(e.message, /user1 {2}Иван Петров {2}3 messages/);
        assert.match(e.message, /user3 {2}Bob {2}1 message$/m);
        return true;
      },
    );
  });
  it("fails on an unknown or ambiguous selector", async () => {
    const summary = await inspect(chats().source());
    assert.throws(() => resolveOwner(summary, "Nobody"), /No author has the id or name "Nobody"[\s\S]*user1/);
    assert.throws(
      () => resolveOwner(summary, "маша"),
      (e: unknown) =>
        e instanceof OwnerResolutionError &&
        e.candidates
          .map((c) => c.id)
          .sort()
          .join() === "user2,user9",
    );
    assert.deepEqual(resolveOwner(summary, ["user2"]).ids, ["user2"]);
  });
  it("fails when combined exports belong to different accounts", async () => {
    const summary = await inspect(chats().account(me.id, me.name).account(bob.id, bob.name).source());
    assert.throws(() => resolveOwner(summary), /several accounts/);
    assert.deepEqual(resolveOwner(summary, me.id).ids, [me.id]);
  });
  it("matches one name across formats (the same person in two exports)", async () => {
    const f = chats();
    f.records.push({
      type: "chat",
      chat: { id: "wa", name: "Маша", type: "personal", format: "whatsapp-txt", source: "_chat.txt" },
    });
    f.records.push({
      type: "message",
      message: {
        id: "w1",
        chatId: "wa",
        authorId: null,
        authorName: "Иван Петров",
        timestamp: 0,
        text: "hi",
        kind: "text",
      },
    });
    const summary = await inspect(f.source());
    assert.deepEqual(resolveOwner(summary, "Иван Петров").ids.sort(), ["name:Иван Петров", "user1"]);
  });
});
