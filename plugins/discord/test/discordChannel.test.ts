/** The Discord channel end to end: one real discord.js client wired to local REST and gateway stand-ins. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createFakeContext, type FakeContext, parseConfig } from "@aiclone/plugin-sdk/testing";
import {
  ALLOWED_CHANNEL,
  BOT_TOKEN,
  BOT_USER,
  FakeDiscord,
  OTHER_CHANNEL,
} from "@aiclone/testing/fakeDiscord";
import { waitFor } from "@aiclone/testing/until";
import { DiscordChannel } from "../discordChannel.js";
import { type DiscordConfig, discordConfigSchema } from "../discordConfig.js";

const OWNER = { id: "100000000000000001", username: "petr", global_name: "Пётр" };
const FRIEND = { id: "100000000000000002", username: "masha", global_name: "Мария" };
const STRANGER = { id: "100000000000000003", username: "stranger", global_name: "Незнакомец" };
const OWNER_DM = "500000000000000001";
const STRANGER_DM = "500000000000000003";
const reply = (text: string) => `Привет, это клон. Ты написал: ${text}`;

describe("discord channel", () => {
  let discord: FakeDiscord;
  let channel: DiscordChannel;
  let ctx: FakeContext<DiscordConfig>;
  const contents = (channelId: string) => discord.posted(channelId).map((c) => c.body.content as string);

  before(async () => {
    discord = new FakeDiscord();
    await discord.start();
    const config = await parseConfig(discordConfigSchema, {
      token: BOT_TOKEN,
      ownerId: OWNER.id,
      allowedUserIds: [FRIEND.id],
      allowedChannelIds: [ALLOWED_CHANNEL],
      restApi: discord.restApi,
    });
    ctx = createFakeContext({ config });
    channel = new DiscordChannel(ctx);
    await channel.start();
  });
  after(async () => {
    await channel.stop();
    await discord.stop();
  });

  it("identifies over the gateway with the token and the intents it needs", () => {
    assert.equal(discord.identifies.length, 1);
    const identify = discord.identifies[0];
    assert.equal(identify.token, BOT_TOKEN);
    const MESSAGE_CONTENT = 1 << 15;
    const DIRECT_MESSAGES = 1 << 12;
    const GUILD_MESSAGES = 1 << 9;
    for (const intent of [MESSAGE_CONTENT, DIRECT_MESSAGES, GUILD_MESSAGES]) {
      assert.ok((identify.intents & intent) === intent, `intent ${intent} missing`);
    }
    assert.equal(channel.client.user?.id, BOT_USER.id);
  });

  it("answers a DM from the owner, typing first", async () => {
    discord.message(OWNER, "Как дела?", { dmChannel: OWNER_DM });
    await waitFor(() => discord.posted(OWNER_DM).length === 1, "the DM reply");
    assert.deepEqual(contents(OWNER_DM), [reply("Как дела?")]);
    const typing = discord.rest.findIndex((c) => c.path.endsWith(`/channels/${OWNER_DM}/typing`));
    const posted = discord.rest.findIndex((c) => c.path.endsWith(`/channels/${OWNER_DM}/messages`));
    assert.ok(typing !== -1 && typing < posted, "typing is sent before the reply");
    assert.deepEqual(ctx.chatRequests.at(-1), {
      conversationId: OWNER_DM,
      partner: { id: OWNER.id, displayName: "Пётр" },
      text: "Как дела?",
    });
    assert.deepEqual(discord.posted(OWNER_DM)[0]?.body.allowed_mentions, { parse: [], replied_user: false });
  });

  it("ignores a DM from a stranger and a mention in a channel that is not allowed", async () => {
    const before = ctx.chatRequests.length;
    discord.message(STRANGER, "Привет, ты кто?", { dmChannel: STRANGER_DM });
    discord.message(FRIEND, `<@${BOT_USER.id}> ответь тут`, { channel: OTHER_CHANNEL, mentionsBot: true });
    discord.message(FRIEND, "просто болтаю", { channel: ALLOWED_CHANNEL });
    // A message answered afterwards proves the ones before it were seen and dropped.
    discord.message(OWNER, "Ещё раз", { dmChannel: OWNER_DM });
    await waitFor(() => contents(OWNER_DM).includes(reply("Ещё раз")), "the later DM reply");
    assert.deepEqual(discord.posted(STRANGER_DM), []);
    assert.deepEqual(discord.posted(OTHER_CHANNEL), []);
    assert.deepEqual(discord.posted(ALLOWED_CHANNEL), []);
    assert.deepEqual(discord.typing(STRANGER_DM), []);
    assert.deepEqual(
      ctx.chatRequests.slice(before).map((r) => r.text),
      ["Ещё раз"],
    );
  });

  it("answers a mention in an allowed channel, quoting the message, without the mention", async () => {
    const messageId = discord.message(FRIEND, `<@${BOT_USER.id}> как дела?`, {
      channel: ALLOWED_CHANNEL,
      mentionsBot: true,
    });
    await waitFor(() => discord.posted(ALLOWED_CHANNEL).length === 1, "the channel reply");
    const posted = discord.posted(ALLOWED_CHANNEL)[0]!;
    assert.equal(posted.body.content, reply("как дела?"));
    assert.equal(posted.body.message_reference.message_id, messageId);
    assert.deepEqual(ctx.chatRequests.at(-1), {
      conversationId: ALLOWED_CHANNEL,
      partner: { id: FRIEND.id, displayName: "Мария" },
      text: "как дела?",
    });
    assert.ok(discord.typing(ALLOWED_CHANNEL).length >= 1);
  });

  it("splits a 5000-character reply into 3 messages of at most 2000", async () => {
    const sentence = "Съешь же ещё этих мягких французских булок, да выпей чаю. ";
    const full = sentence
      .repeat(Math.ceil(5000 / sentence.length))
      .slice(0, 5000)
      .trim();
    ctx.script.pieces = () => [full.slice(0, 2500), full.slice(2500)];
    try {
      const before = discord.posted(OWNER_DM).length;
      discord.message(OWNER, "Расскажи длинно", { dmChannel: OWNER_DM });
      await waitFor(() => discord.posted(OWNER_DM).length >= before + 3, "three messages");
      await new Promise((r) => setTimeout(r, 50));
      const pieces = contents(OWNER_DM).slice(before);
      assert.equal(pieces.length, 3);
      for (const piece of pieces) assert.ok(piece.length <= 2000, `a message of ${piece.length}`);
      assert.ok(
        pieces.slice(0, -1).every((p) => p.endsWith("чаю.")),
        "cuts fall on sentence ends",
      );
      assert.equal(pieces.join(" "), full);
    } finally {
      ctx.script.pieces = (r) => ["Привет", ", ", "это ", "клон", ". Ты написал: ", r.text];
    }
  });
});

describe("discord config", () => {
  it("allows the owner alone by default and names bad fields", async () => {
    const config = await parseConfig(discordConfigSchema, { token: BOT_TOKEN, ownerId: OWNER.id });
    assert.deepEqual(config.allowedUserIds, [OWNER.id]);
    assert.deepEqual(config.allowedChannelIds, []);
    assert.equal(config.public, false);
    await assert.rejects(parseConfig(discordConfigSchema, { token: BOT_TOKEN }), /ownerId:/);
    await assert.rejects(
      parseConfig(discordConfigSchema, { token: BOT_TOKEN, ownerId: OWNER.id, allowedChannelIds: ["общий"] }),
      /allowedChannelIds\.0: must be a Discord id/,
    );
  });
});
