import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ChatMessage, ExportRecord } from "../../../model/conversation.js";
import { discordChatType } from "../discordChannel.js";
import { mediaTypeOfFileName } from "../discordMedia.js";
import { discordMessageRecord } from "../discordMessage.js";

const author = { id: "7", name: "alice_u", nickname: "Alice", isBot: false };
const base = {
  id: "100",
  type: "Default",
  timestamp: "2023-01-17T21:33:07.489+02:00",
  timestampEdited: null,
  author,
};

function message(overrides: Record<string, unknown>): ChatMessage {
  const record: ExportRecord = discordMessageRecord({ ...base, ...overrides }, "c1", "c1/messages[0]");
  assert.equal(record.type, "message", JSON.stringify(record));
  return (record as { message: ChatMessage }).message;
}

describe("discord message kinds", () => {
  test("Default with content is text; the offset is honoured; nickname wins", () => {
    assert.deepEqual(message({ content: "hi there" }), {
      id: "100",
      chatId: "c1",
      authorId: "7",
      authorName: "Alice",
      timestamp: Date.UTC(2023, 0, 17, 19, 33, 7, 489),
      text: "hi there",
      kind: "text",
    });
  });

  test("Reply keeps reference.messageId as replyToId", () => {
    const m = message({ type: "Reply", content: "yes", reference: { messageId: "99", channelId: "c1" } });
    assert.equal(m.kind, "text");
    assert.equal(m.replyToId, "99");
  });

  test("attachments without text are media, typed by extension", () => {
    const m = message({
      content: "",
      attachments: [
        { id: "1", url: "https://cdn/a.JPG", fileName: "a.JPG" },
        { id: "2", url: "https://cdn/voice-message.ogg", fileName: "voice-message.ogg" },
        { id: "3", fileName: "notes.pdf" },
      ],
    });
    assert.equal(m.kind, "media");
    assert.deepEqual(m.media, [
      { type: "photo", path: "https://cdn/a.JPG" },
      { type: "voice", path: "https://cdn/voice-message.ogg" },
      { type: "file", path: "notes.pdf" },
    ]);
  });

  test("text with an attachment stays text and keeps the media", () => {
    const m = message({ content: "look", attachments: [{ url: "x/clip.mp4", fileName: "clip.mp4" }] });
    assert.equal(m.kind, "text");
    assert.deepEqual(m.media, [{ type: "video", path: "x/clip.mp4" }]);
  });

  test("stickers only are a sticker", () => {
    const m = message({ content: "", stickers: [{ id: "5", name: "Laugh", sourceUrl: "https://s/5.png" }] });
    assert.equal(m.kind, "sticker");
    assert.deepEqual(m.media, [{ type: "sticker", path: "https://s/5.png" }]);
  });

  test("empty content with only embeds is unsupported", () => {
    assert.equal(message({ content: "", embeds: [{ title: "card" }] }).kind, "unsupported");
  });

  for (const type of [
    "RecipientAdd",
    "RecipientRemove",
    "Call",
    "ChannelNameChange",
    "ChannelIconChange",
    "ChannelPinnedMessage",
    "GuildMemberJoin",
    "ThreadCreated",
    "21",
  ]) {
    test(`${type} is a service message with DCE's fallback text`, () => {
      const m = message({ type, content: "Pinned a message.", reference: { messageId: "55" } });
      assert.equal(m.kind, "service");
      assert.equal(m.text, "Pinned a message.");
    });
  }

  test("timestampEdited marks the message edited", () => {
    assert.equal(message({ content: "x", timestampEdited: "2023-01-17T21:34:00+02:00" }).edited, true);
    assert.equal(message({ content: "x" }).edited, undefined);
  });

  test("a forward takes the forwarded content and is not a reply", () => {
    const m = message({
      content: "",
      reference: { type: "Forward", messageId: "9", channelId: "other" },
      forwardedMessage: { content: "original words", attachments: [], stickers: [] },
    });
    assert.equal(m.text, "original words");
    assert.equal(m.kind, "text");
    assert.equal(m.forwardedFrom, null);
    assert.equal(m.replyToId, undefined);
  });

  test("a missing type, author or nickname is tolerated (old DCE files)", () => {
    const m = message({ type: undefined, content: "old", author: { id: "3", name: "bob" } });
    assert.equal(m.kind, "text");
    assert.equal(m.authorName, "bob");
    const anonymous = message({ content: "who", author: undefined });
    assert.equal(anonymous.authorId, null);
    assert.equal(anonymous.authorName, null);
  });
});

describe("corrupt messages are skipped with where they were", () => {
  const cases: Array<[string, unknown, string]> = [
    ["not an object", 5, "c1/messages[3]"],
    ["no id", { ...base, id: null }, "c1/messages[3]"],
    ["bad timestamp", { ...base, timestamp: "yesterday" }, "c1/100"],
    ["missing timestamp", { ...base, timestamp: undefined }, "c1/100"],
    ["content not a string", { ...base, content: { x: 1 } }, "c1/100"],
  ];
  for (const [name, raw, where] of cases) {
    test(name, () => {
      const record = discordMessageRecord(raw, "c1", "c1/messages[3]");
      assert.equal(record.type, "skipped");
      assert.equal(record.type === "skipped" && record.skipped.where, where);
    });
  }
});

test("channel kinds map to chat types", () => {
  assert.equal(discordChatType("DirectTextChat"), "personal");
  assert.equal(discordChatType("DirectGroupTextChat"), "group");
  assert.equal(discordChatType("GuildTextChat"), "group");
  assert.equal(discordChatType("GuildPublicThread"), "group");
  assert.equal(discordChatType("GuildPrivateThread"), "group");
  assert.equal(discordChatType("GuildNews"), "channel");
  assert.equal(discordChatType("GuildAnnouncement"), "channel");
  assert.equal(discordChatType("Martian"), "other");
  assert.equal(discordChatType("toString"), "other");
  assert.equal(discordChatType(null), "other");
});

test("media types by file name", () => {
  assert.equal(mediaTypeOfFileName("anim.gif"), "gif");
  assert.equal(mediaTypeOfFileName("song.mp3"), "audio");
  assert.equal(mediaTypeOfFileName("README"), "file");
  assert.equal(mediaTypeOfFileName("constructor"), "file");
});
