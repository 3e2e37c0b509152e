import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { ChatInfo, ChatMessage, MediaRef, MessageKind } from "../../../model/conversation.js";
import { discordReader } from "../discordReader.js";
import { collect } from "./collect.js";
import { type DceMessageExtras, writeDceExport } from "./dceWriter.js";
import { memoryExportFile } from "./memoryExportFile.js";

const snowflake = fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }).map(String);
const text = fc.string({ unit: "grapheme", maxLength: 40 });
const nonBlank = text.filter((s) => s.trim().length > 0);
const mediaExt: Array<[MediaRef["type"], string]> = [
  ["photo", "png"],
  ["photo", "jpg"],
  ["gif", "gif"],
  ["video", "mp4"],
  ["audio", "mp3"],
  ["file", "zip"],
];
const attachment = fc
  .tuple(fc.constantFrom(...mediaExt), fc.stringMatching(/^[a-z0-9_-]{1,12}$/))
  .map(([[type, ext], name]): MediaRef => ({ type, path: `https://cdn.example/att/${name}.${ext}` }));
const sticker = snowflake.map(
  (id): MediaRef => ({ type: "sticker", path: `https://discord.com/stickers/${id}.png` }),
);
const serviceType = fc.constantFrom(
  "RecipientAdd",
  "Call",
  "ChannelPinnedMessage",
  "GuildMemberJoin",
  "ThreadCreated",
);

const messageArb = fc
  .record({
    kind: fc.constantFrom<MessageKind>("text", "media", "sticker", "service"),
    id: snowflake,
    authorId: snowflake,
    authorName: text,
    timestamp: fc.integer({ min: Date.UTC(2015, 0, 1), max: Date.UTC(2030, 0, 1) }),
    offsetMinutes: fc.integer({ min: -12 * 60, max: 14 * 60 }),
    text: nonBlank,
    replyToId: fc.option(snowflake, { nil: undefined }),
    edited: fc.boolean(),
    firstAttachment: attachment,
    attachments: fc.array(attachment, { maxLength: 3 }),
    stickers: fc.array(sticker, { minLength: 1, maxLength: 2 }),
    serviceType,
  })
  .map((g): [Omit<ChatMessage, "chatId">, DceMessageExtras] => {
    const m: Omit<ChatMessage, "chatId"> = {
      id: g.id,
      authorId: g.authorId,
      authorName: g.authorName,
      timestamp: g.timestamp,
      text: g.kind === "text" || g.kind === "service" ? g.text : "",
      kind: g.kind,
    };
    if (g.replyToId && g.kind !== "service") m.replyToId = g.replyToId;
    if (g.edited) m.edited = true;
    const media: MediaRef[] =
      g.kind === "media"
        ? [g.firstAttachment, ...g.attachments]
        : g.kind === "sticker"
          ? g.stickers
          : g.kind === "text"
            ? g.attachments
            : [];
    if (media.length > 0) m.media = media;
    return [m, { serviceType: g.serviceType, offsetMinutes: g.offsetMinutes }];
  });

const chatArb = fc.record({
  id: snowflake,
  name: fc.option(text, { nil: null }),
  type: fc.constantFrom<ChatInfo["type"]>("personal", "group", "channel"),
});

test("random channels and messages survive writer → reader, at any chunking", async () => {
  await fc.assert(
    fc.asyncProperty(
      chatArb,
      fc.array(messageArb, { maxLength: 25 }),
      fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 5 }),
      async (c, generated, chunkSizes) => {
        const file = memoryExportFile("export.json", "", chunkSizes);
        const chat: ChatInfo = { ...c, format: "discord-json", source: file.label };
        const messages = generated.map(([m, extras]): [ChatMessage, DceMessageExtras] => [
          { ...m, chatId: chat.id },
          extras,
        ]);
        const json = Buffer.from(writeDceExport(chat, messages));
        const records = await collect(discordReader, memoryExportFile("export.json", json, chunkSizes));
        assert.deepEqual(records, [
          { type: "chat", chat },
          ...messages.map(([message]) => ({ type: "message", message })),
        ]);
      },
    ),
    { numRuns: 150 },
  );
});
