/** The Telegram channel end to end: a real grammY bot against a local Bot API stand-in. */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import {
  createFakeContext,
  defaultPieces,
  type FakeContext,
  MemoryPluginStorage,
  parseConfig,
} from "@aiclone/plugin-sdk/testing";
import { BOT, BOT_TOKEN, FakeBotApi } from "@aiclone/testing/fakeBotApi";
import { until, waitFor } from "@aiclone/testing/until";
import { EDIT_HINT } from "../approvalFlow.js";
import { TelegramChannel } from "../telegramChannel.js";
import { type TelegramConfig, telegramConfigSchema } from "../telegramConfig.js";

const OWNER = { id: 111, first_name: "Пётр", last_name: "Петров" };
const FRIEND = { id: 222, first_name: "Мария", last_name: "Иванова" };
const STRANGER = { id: 333, first_name: "Незнакомец" };
const GROUP = -100_123;
const reply = (text: string) => `Привет, это клон. Ты написал: ${text}`;

interface Running {
  api: FakeBotApi;
  channel: TelegramChannel;
  ctx: FakeContext<TelegramConfig>;
}
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startApi(): Promise<FakeBotApi> {
  const api = new FakeBotApi();
  await api.start();
  cleanups.push(() => api.stop());
  return api;
}

async function startBot(
  api: FakeBotApi,
  config: Record<string, unknown> = {},
  storage = new MemoryPluginStorage(),
): Promise<Running> {
  const parsed = await parseConfig(telegramConfigSchema, {
    token: BOT_TOKEN,
    apiRoot: api.url,
    ownerId: OWNER.id,
    ...config,
  });
  const ctx = createFakeContext({ config: parsed, storage });
  const channel = new TelegramChannel(ctx);
  await channel.start();
  let stopped = false;
  cleanups.push(async () => {
    if (!stopped) await channel.stop();
  });
  const stop = channel.stop.bind(channel);
  channel.stop = async () => {
    stopped = true;
    await stop();
  };
  return { api, channel, ctx };
}

const textsTo = (api: FakeBotApi, chatId: number) => api.sent(chatId).map((c) => c.params.text as string);

describe("telegram channel over long polling", () => {
  it("answers the owner in a private chat, showing typing first", async () => {
    const api = await startApi();
    const { ctx } = await startBot(api);
    assert.ok(api.called("deleteWebhook").length === 1, "long polling starts by deleting any webhook");
    api.privateText(OWNER, "Как дела?");
    await waitFor(() => api.sent(OWNER.id).length === 1, "the reply");
    assert.deepEqual(textsTo(api, OWNER.id), [reply("Как дела?")]);
    const typing = api.calls.findIndex((c) => c.method === "sendChatAction");
    const sent = api.calls.findIndex((c) => c.method === "sendMessage");
    assert.ok(typing !== -1 && typing < sent, "typing comes before the reply");
    assert.deepEqual(api.calls[typing]?.params, { chat_id: OWNER.id, action: "typing" });
    assert.deepEqual(ctx.chatRequests[0], {
      conversationId: String(OWNER.id),
      partner: { id: String(OWNER.id), displayName: "Пётр Петров" },
      text: "Как дела?",
    });
  });

  it("ignores users not on the allow-list (no answer at all), answers listed ones", async () => {
    const api = await startApi();
    const { ctx } = await startBot(api, { allowedUserIds: [FRIEND.id] });
    api.privateText(STRANGER, "Привет, ты кто?");
    api.privateText(FRIEND, "Как дела?");
    api.privateText(OWNER, "А у меня?");
    await waitFor(() => api.sent(FRIEND.id).length === 1 && api.sent(OWNER.id).length === 1, "both replies");
    assert.deepEqual(api.sent(STRANGER.id), []);
    assert.ok(!api.calls.some((c) => c.params.chat_id === STRANGER.id), "not even typing for a stranger");
    assert.deepEqual(
      ctx.chatRequests.map((r) => r.partner.displayName),
      ["Мария Иванова", "Пётр Петров"],
    );
    assert.ok(
      ctx.logs.some((l) => l.message.includes("not on the allow-list") && l.fields.userId === STRANGER.id),
    );
  });

  it("answers strangers only in explicit public mode", async () => {
    const api = await startApi();
    await startBot(api, { public: true });
    api.privateText(STRANGER, "Привет");
    await waitFor(() => api.sent(STRANGER.id).length === 1, "the reply to a stranger");
    assert.deepEqual(textsTo(api, STRANGER.id), [reply("Привет")]);
  });

  it("in groups answers only when mentioned or replied to, quoting the message", async () => {
    const api = await startApi();
    const { ctx } = await startBot(api, { allowedUserIds: [FRIEND.id] });
    api.groupText(GROUP, FRIEND, "Всем привет, что нового?");
    api.groupText(GROUP, FRIEND, "@other_bot ты тут?", {
      entities: [{ type: "mention", offset: 0, length: 10 }],
    });
    const mentioned = api.groupText(GROUP, FRIEND, "@anna_clone_bot как дела?", {
      entities: [{ type: "mention", offset: 0, length: 15 }],
    });
    await waitFor(() => api.sent(GROUP).length === 1, "the answer to the mention");
    const first = api.sent(GROUP)[0]!;
    assert.equal(first.params.text, reply("как дела?"));
    assert.equal(first.params.reply_parameters.message_id, mentioned.messageId);
    api.groupText(GROUP, STRANGER, "@anna_clone_bot а мне?", {
      entities: [{ type: "mention", offset: 0, length: 15 }],
    });
    api.groupText(GROUP, FRIEND, "А подробнее?", {
      reply_to_message: {
        message_id: 1,
        date: 0,
        chat: { id: GROUP, type: "supergroup", title: "Семья" },
        from: BOT,
      },
    });
    await waitFor(() => api.sent(GROUP).length === 2, "the answer to the reply");
    assert.equal(api.sent(GROUP)[1]?.params.text, reply("А подробнее?"));
    assert.deepEqual(
      ctx.chatRequests.map((r) => [r.conversationId, r.text]),
      [
        [String(GROUP), "как дела?"],
        [String(GROUP), "А подробнее?"],
      ],
    );
  });

  it("splits a long Cyrillic reply at Telegram's 4096 limit on paragraph boundaries", async () => {
    const api = await startApi();
    const { ctx } = await startBot(api);
    const paragraph = (n: number) =>
      `Абзац ${n}. ${"Съешь же ещё этих мягких французских булок, да выпей чаю. ".repeat(30).trim()}`;
    const paragraphs = Array.from({ length: 6 }, (_, i) => paragraph(i + 1));
    const full = paragraphs.join("\n\n");
    assert.ok(full.length > 9000);
    ctx.script.pieces = () => paragraphs.map((p, i) => (i === 0 ? p : `\n\n${p}`));
    api.privateText(OWNER, "Расскажи подробно");
    await waitFor(() => api.sent(OWNER.id).length >= 3, "the split reply");
    await new Promise((r) => setTimeout(r, 50));
    const texts = textsTo(api, OWNER.id);
    assert.equal(texts.length, 3);
    for (const text of texts) {
      assert.ok(text.length <= 4096, `a message of ${text.length} characters`);
      assert.match(text, /^Абзац \d\./, "each message starts at a paragraph");
      assert.ok(text.endsWith("чаю."), "each message ends at a paragraph end");
    }
    assert.equal(texts.join("\n\n"), full);
  });

  it("logs a failed reply and keeps serving", async () => {
    const api = await startApi();
    const { ctx } = await startBot(api);
    ctx.script.pieces = (request) => {
      if (request.text === "сломайся") throw new Error("движок упал");
      return defaultPieces(request);
    };
    api.privateText(OWNER, "сломайся");
    api.privateText(OWNER, "Как дела?");
    await waitFor(() => api.sent(OWNER.id).length === 1, "the next reply");
    assert.deepEqual(textsTo(api, OWNER.id), [reply("Как дела?")]);
    assert.ok(ctx.logs.some((l) => l.level === "error" && String(l.fields.error).includes("движок упал")));
  });

  it("reports a fatal polling error (token revoked) through context.fail", async () => {
    const api = await startApi();
    const { ctx } = await startBot(api);
    api.failGetUpdatesWith = 401;
    api.wake();
    await waitFor(() => ctx.failures.length === 1, "context.fail");
    assert.match(String(ctx.failures[0]), /401|Unauthorized/);
  });

  it("fails start when the token is refused", async () => {
    const api = await startApi();
    const parsed = await parseConfig(telegramConfigSchema, {
      token: "7000001:AAWrongTokenWrongTokenWrongToken",
      apiRoot: api.url,
      ownerId: OWNER.id,
    });
    const channel = new TelegramChannel(createFakeContext({ config: parsed }));
    await assert.rejects(channel.start(), /401|Unauthorized/);
    await channel.stop();
    await new Promise((r) => setTimeout(r, 100));
    // grammY's bot.start() would keep retrying deleteWebhook for ever after a failed getMe.
    assert.deepEqual(
      api.refused.map((c) => c.method),
      ["getMe"],
    );
  });

  it("confirms the update offset on stop, so a restart does not answer twice", async () => {
    const api = await startApi();
    const first = await startBot(api);
    api.privateText(OWNER, "Раз");
    await waitFor(() => api.sent(OWNER.id).length === 1, "the reply");
    await first.channel.stop();
    const second = await startBot(api);
    api.privateText(OWNER, "Два");
    await waitFor(() => api.sent(OWNER.id).length === 2, "the second reply");
    assert.deepEqual(
      second.ctx.chatRequests.map((r) => r.text),
      ["Два"],
    );
  });
});

describe("telegram approve-before-sending", () => {
  const keyboardOf = (call: { params: Record<string, any> }) =>
    (call.params.reply_markup.inline_keyboard as { text: string; callback_data: string }[][]).flat();

  async function draftFor(api: FakeBotApi, text: string, count: number) {
    api.privateText(FRIEND, text);
    await waitFor(() => api.sent(OWNER.id).length === count, "the draft for the owner");
    const draft = api.sent(OWNER.id)[count - 1]!;
    const buttons = keyboardOf(draft);
    const message = {
      message_id: 1,
      date: 0,
      chat: { id: OWNER.id, type: "private", first_name: "Пётр" },
      text: "…",
    };
    const press = (label: string, user = OWNER) =>
      api.callback(user, buttons.find((b) => b.text === label)!.callback_data, message);
    return { draft, buttons, press };
  }

  it("sends the owner a draft with Send / Edit / Skip, and delivers it on Send", async () => {
    const api = await startApi();
    const { ctx } = await startBot(api, { approve: true, allowedUserIds: [FRIEND.id] });
    const { draft, buttons, press } = await draftFor(api, "Как дела?", 1);
    assert.deepEqual(
      buttons.map((b) => b.text),
      ["Send", "Edit", "Skip"],
    );
    assert.equal(
      draft.params.text,
      `Draft reply to Мария Иванова (chat ${FRIEND.id}):\n\n${reply("Как дела?")}\n\n${EDIT_HINT}`,
    );
    assert.deepEqual(api.sent(FRIEND.id), [], "nothing reaches the friend before approval");
    assert.equal((await ctx.storage.keys("draft:")).length, 1);

    press("Send", FRIEND);
    await waitFor(() => api.called("answerCallbackQuery").length === 1, "the refusal to a non-owner");
    assert.match(api.called("answerCallbackQuery")[0]!.params.text, /Only the owner/);
    assert.deepEqual(api.sent(FRIEND.id), []);

    press("Send");
    await waitFor(() => api.sent(FRIEND.id).length === 1, "the approved reply");
    assert.deepEqual(textsTo(api, FRIEND.id), [reply("Как дела?")]);
    await waitFor(() => api.called("editMessageText").length === 1, "the owner's copy marked");
    assert.match(api.called("editMessageText")[0]!.params.text, /✅ Sent$/);
    assert.equal((await ctx.storage.keys("draft:")).length, 0);
    assert.deepEqual(ctx.corrections, [], "a draft sent as it is is no correction");
  });

  it("drops a draft on Skip", async () => {
    const api = await startApi();
    const { ctx } = await startBot(api, { approve: true, allowedUserIds: [FRIEND.id] });
    const { press } = await draftFor(api, "Одолжи денег", 1);
    press("Skip");
    await waitFor(() => api.called("editMessageText").length === 1, "the owner's copy marked");
    assert.match(api.called("editMessageText")[0]!.params.text, /Skipped$/);
    assert.equal((await ctx.storage.keys("draft:")).length, 0);
    press("Send");
    await waitFor(() => api.called("answerCallbackQuery").length === 2, "the second answer");
    assert.match(api.called("answerCallbackQuery")[1]!.params.text, /already decided/);
    assert.deepEqual(api.sent(FRIEND.id), []);
  });

  it("on Edit sends the owner's next message instead of the draft", async () => {
    const api = await startApi();
    const { ctx } = await startBot(api, { approve: true, allowedUserIds: [FRIEND.id] });
    const { press } = await draftFor(api, "Придёшь завтра?", 1);
    press("Edit");
    await waitFor(() => api.called("answerCallbackQuery").length === 1, "the edit prompt");
    api.privateText(OWNER, "Да, приду к семи!");
    await waitFor(() => api.sent(FRIEND.id).length === 1, "the edited reply");
    assert.deepEqual(textsTo(api, FRIEND.id), ["Да, приду к семи!"]);
    assert.deepEqual(
      ctx.chatRequests.map((r) => r.text),
      ["Придёшь завтра?"],
      "the owner's replacement is not a message to the clone",
    );
    // Recorded as a correction, and memory goes on from what the friend really got.
    await waitFor(() => ctx.corrections.length === 1, "the correction");
    assert.deepEqual(ctx.corrections[0], {
      conversationId: String(FRIEND.id),
      draft: reply("Придёшь завтра?"),
      ownerText: "Да, приду к семи!",
      id: "correction-1",
      replacedInMemory: true,
    });
    assert.deepEqual(await ctx.history(String(FRIEND.id)), [
      { role: "user", content: "Придёшь завтра?" },
      { role: "assistant", content: "Да, приду к семи!" },
    ]);
    await waitFor(() => api.called("editMessageText").length === 2, "the owner's copy marked");
    assert.match(api.called("editMessageText")[1]!.params.text, /Да, приду к семи!\n\n✅ Sent your text/);
    // After the edit the owner talks to the clone again, answered directly (no self-approval).
    api.privateText(OWNER, "Как дела?");
    await waitFor(() => textsTo(api, OWNER.id).includes(reply("Как дела?")), "the owner's own reply");
  });

  it("sends the owner's reply to a draft's message instead of that draft, among several", async () => {
    const api = await startApi();
    const { ctx } = await startBot(api, { approve: true, allowedUserIds: [FRIEND.id] });
    await draftFor(api, "Как дела?", 1);
    await draftFor(api, "Что делаешь вечером?", 2);
    // The draft's message id is stored once the owner's copy is sent, a moment after it shows in the chat.
    const evening = await until("the evening draft's message id stored", async () => {
      const drafts = await Promise.all(
        (await ctx.storage.keys("draft:")).map((key) =>
          ctx.storage.get<{ text: string; ownerMessageId?: number }>(key),
        ),
      );
      const found = drafts.find((d) => d?.text === reply("Что делаешь вечером?"));
      return found?.ownerMessageId === undefined ? undefined : { ownerMessageId: found.ownerMessageId };
    });
    api.push({
      message: {
        message_id: 9001,
        date: Math.floor(Date.now() / 1000),
        chat: { id: OWNER.id, type: "private", first_name: OWNER.first_name },
        from: { ...OWNER, is_bot: false },
        text: "кино смотрю, присоединяйся",
        reply_to_message: {
          message_id: evening.ownerMessageId,
          date: 0,
          chat: { id: OWNER.id, type: "private", first_name: OWNER.first_name },
          text: "Draft reply…",
        },
      },
    });
    await waitFor(() => api.sent(FRIEND.id).length === 1, "the owner's text delivered");
    assert.deepEqual(textsTo(api, FRIEND.id), ["кино смотрю, присоединяйся"]);
    await waitFor(() => ctx.corrections.length === 1, "the correction");
    assert.equal(ctx.corrections[0]?.draft, reply("Что делаешь вечером?"));
    assert.equal(ctx.corrections[0]?.ownerText, "кино смотрю, присоединяйся");
    assert.equal((await ctx.storage.keys("draft:")).length, 1, "the other draft still waits");
    assert.deepEqual(
      ctx.chatRequests.map((r) => r.text),
      ["Как дела?", "Что делаешь вечером?"],
      "the reply to a draft is not a message to the clone",
    );
    const history = await ctx.history(String(FRIEND.id));
    assert.deepEqual(history.at(-1), { role: "assistant", content: "кино смотрю, присоединяйся" });
  });

  it("keeps pending drafts across a restart", async () => {
    const api = await startApi();
    const storage = new MemoryPluginStorage();
    const first = await startBot(api, { approve: true, allowedUserIds: [FRIEND.id] }, storage);
    const { press } = await draftFor(api, "Как дела?", 1);
    await first.channel.stop();
    const second = await startBot(api, { approve: true, allowedUserIds: [FRIEND.id] }, storage);
    press("Send");
    await waitFor(() => api.sent(FRIEND.id).length === 1, "the reply approved after the restart");
    assert.deepEqual(textsTo(api, FRIEND.id), [reply("Как дела?")]);
    assert.deepEqual(second.ctx.chatRequests, [], "the restarted bot did not generate again");
  });
});

describe("telegram channel over a webhook", () => {
  it("registers the webhook with its secret and answers posted updates only with the secret", async () => {
    const api = await startApi();
    const { channel } = await startBot(api, {
      webhook: { url: "https://clone.example/tg/hook", secret: "s3cret_Token-1", port: 0 },
    });
    assert.deepEqual(api.called("setWebhook")[0]?.params, {
      url: "https://clone.example/tg/hook",
      secret_token: "s3cret_Token-1",
    });
    const { port } = channel.webhookAddress()!;
    const update = (text: string, id: number) => ({
      update_id: id,
      message: {
        message_id: id,
        date: 0,
        chat: { id: OWNER.id, type: "private", first_name: "Пётр" },
        from: { ...OWNER, is_bot: false },
        text,
      },
    });
    const post = (body: unknown, secret: string) =>
      fetch(`http://127.0.0.1:${port}/tg/hook`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
        body: JSON.stringify(body),
      });
    const forged = await post(update("Подделка", 1), "wrong");
    assert.equal(forged.status, 401);
    const real = await post(update("Как дела?", 2), "s3cret_Token-1");
    assert.equal(real.status, 200);
    await waitFor(() => api.sent(OWNER.id).length === 1, "the reply");
    assert.deepEqual(textsTo(api, OWNER.id), [reply("Как дела?")]);
    assert.equal(api.called("getUpdates").length, 0, "no polling in webhook mode");
  });
});
