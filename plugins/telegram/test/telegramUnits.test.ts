import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseConfig } from "@aiclone/plugin-sdk/testing";
import { isAllowedUser } from "../accessPolicy.js";
import { draftPreview, parseDraftCallback } from "../approvalFlow.js";
import { addressingOf } from "../groupAddressing.js";
import { partnerNameOf } from "../partnerName.js";
import { telegramConfigSchema } from "../telegramConfig.js";
import { keepTyping } from "../typingIndicator.js";

const TOKEN = "7000001:AAFakeTokenForTestsOnly_abcdefghijk";
const bot = { id: 42, username: "Anna_Clone_Bot" };

describe("telegram config", () => {
  it("allows the owner alone by default and is not public", async () => {
    const config = await parseConfig(telegramConfigSchema, { token: TOKEN, ownerId: 111 });
    assert.deepEqual(config.allowedUserIds, [111]);
    assert.equal(config.public, false);
    assert.equal(config.approve, false);
    assert.equal(config.apiRoot, "https://api.telegram.org");
  });
  it("always keeps the owner on the allow-list", async () => {
    const config = await parseConfig(telegramConfigSchema, {
      token: TOKEN,
      ownerId: 111,
      allowedUserIds: [222],
    });
    assert.deepEqual(config.allowedUserIds, [111, 222]);
  });
  it("names the missing or bad field", async () => {
    await assert.rejects(parseConfig(telegramConfigSchema, { token: TOKEN }), /ownerId:/);
    await assert.rejects(
      parseConfig(telegramConfigSchema, { token: "nope", ownerId: 1 }),
      /token: token must look like/,
    );
    await assert.rejects(
      parseConfig(telegramConfigSchema, {
        token: TOKEN,
        ownerId: 1,
        webhook: { url: "https://x.example/h", secret: "не так" },
      }),
      /webhook\.secret:/,
    );
    await assert.rejects(
      parseConfig(telegramConfigSchema, { token: TOKEN, ownerId: 1, apiRoot: "ftp://x" }),
      /apiRoot:/,
    );
  });
  it("drops a trailing slash of apiRoot (grammY refuses one)", async () => {
    const config = await parseConfig(telegramConfigSchema, {
      token: TOKEN,
      ownerId: 1,
      apiRoot: "http://127.0.0.1:9/",
    });
    assert.equal(config.apiRoot, "http://127.0.0.1:9");
  });
});

describe("allow-list", () => {
  it("answers listed users, or everybody only in public mode", () => {
    assert.equal(isAllowedUser({ public: false, allowedUserIds: [111] }, 111), true);
    assert.equal(isAllowedUser({ public: false, allowedUserIds: [111] }, 333), false);
    assert.equal(isAllowedUser({ public: true, allowedUserIds: [111] }, 333), true);
  });
});

describe("group addressing", () => {
  it("sees a mention of the bot, case-insensitive, and strips it", () => {
    const text = "@anna_clone_bot, как дела?";
    const result = addressingOf({ text, entities: [{ type: "mention", offset: 0, length: 15 }] }, bot);
    assert.deepEqual(result, { addressed: true, text: ", как дела?" });
  });
  it("ignores a mention of someone else and plain messages", () => {
    const text = "@other_bot привет";
    assert.equal(
      addressingOf({ text, entities: [{ type: "mention", offset: 0, length: 10 }] }, bot).addressed,
      false,
    );
    assert.equal(addressingOf({ text: "anna_clone_bot привет" }, bot).addressed, false);
  });
  it("counts a reply to the bot and a text mention of it", () => {
    assert.equal(addressingOf({ text: "да", reply_to_message: { from: { id: 42 } } }, bot).addressed, true);
    assert.equal(addressingOf({ text: "да", reply_to_message: { from: { id: 7 } } }, bot).addressed, false);
    const mention = { type: "text_mention", offset: 0, length: 4, user: { id: 42 } };
    assert.deepEqual(addressingOf({ text: "Анна, привет", entities: [mention] }, bot), {
      addressed: true,
      text: "Анна, привет",
    });
  });
});

describe("partner names", () => {
  it("joins first and last name, falling back to the username", () => {
    assert.equal(partnerNameOf({ id: 1, first_name: "Мария", last_name: "Иванова" }), "Мария Иванова");
    assert.equal(partnerNameOf({ id: 1, first_name: "Мария" }), "Мария");
    assert.equal(partnerNameOf({ id: 1, first_name: "", username: "masha" }), "@masha");
  });
});

describe("typing indicator", () => {
  it("repeats until stopped", async () => {
    let sent = 0;
    const stop = keepTyping(async () => {
      sent++;
    }, 20);
    // Wait for the repeats instead of a fixed window: a busy CI machine delays timers.
    const deadline = Date.now() + 5_000;
    while (sent < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    stop();
    const atStop = sent;
    assert.ok(atStop >= 3, `sent ${atStop} times`);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(sent, atStop);
  });
  it("ignores a failing send", async () => {
    const stop = keepTyping(() => Promise.reject(new Error("сеть недоступна")), 10);
    await new Promise((r) => setTimeout(r, 25));
    stop();
  });
});

describe("draft callbacks and previews", () => {
  it("parses only its own callback data", () => {
    assert.deepEqual(parseDraftCallback("send:0123456789ab"), { action: "send", id: "0123456789ab" });
    assert.equal(parseDraftCallback("send:../../x"), null);
    assert.equal(parseDraftCallback("other:0123456789ab"), null);
  });
  it("keeps a long draft's preview within one Telegram message", () => {
    const draft = {
      id: "0123456789ab",
      chatId: 222,
      partnerName: "Мария",
      text: "я".repeat(5000),
      createdAt: "",
    };
    const preview = draftPreview(draft, "✅ Sent");
    assert.ok(preview.length <= 4096);
    assert.ok(preview.startsWith("Draft reply to Мария (chat 222):"));
    assert.ok(preview.endsWith("…\n\n✅ Sent"));
  });
});
