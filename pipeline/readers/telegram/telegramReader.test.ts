import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ChatMessage, ExportRecord } from "../../model/conversation.js";
import { messagesOf, readAll } from "./test/collect.js";
import { exportFileFromBytes } from "./test/exportFiles.js";
import { exportText } from "./test/exportWriter.js";

const chat = (
  messages: unknown[],
  header: Record<string, unknown> = { name: "Маша", type: "personal_chat", id: 42 },
) => JSON.stringify({ ...header, messages }, null, 1);

async function readMessages(text: string): Promise<ChatMessage[]> {
  return messagesOf(await readAll(exportFileFromBytes(text)));
}

async function readOne(message: Record<string, unknown>): Promise<ChatMessage> {
  const [only] = await readMessages(
    chat([{ id: 1, type: "message", date_unixtime: "1700000000", ...message }]),
  );
  assert.ok(only, "one message expected");
  return only;
}

describe("telegram reader: single-chat export", () => {
  it("emits the chat before its messages, with its mapped type", async () => {
    const records = await readAll(
      exportFileFromBytes(chat([{ id: 5, type: "message", date_unixtime: "1", text: "hi" }])),
    );
    assert.deepEqual(records[0], {
      type: "chat",
      chat: { id: "42", name: "Маша", type: "personal", format: "telegram-json", source: "inline.json" },
    });
    assert.equal(records[1]?.type, "message");
  });

  it("joins entity arrays, keeping line breaks and dropping direction marks", async () => {
    const message = await readOne({
      from: "Маша",
      from_id: "user7",
      text: [
        "Привет\n",
        { type: "bold", text: "жирный" },
        " ",
        { type: "text_link", text: "ссылка", href: "https://t.me" },
        { type: "mention_name", text: "Ваня", user_id: 9 },
        { type: "custom_emoji", text: "😀", document_id: "chats/chat_1/stickers/s.webp" },
        { type: "blockquote", text: "цитата\nвторая", collapsed: true },
        { type: "pre", text: "let x = 1;", language: "ts" },
        { type: "code", text: "x" },
        "\u200eконец",
      ],
      text_entities: [{ type: "plain", text: "ignored when text is present" }],
    });
    assert.equal(message.text, "Привет\nжирный ссылкаВаня😀цитата\nвтораяlet x = 1;xконец");
    assert.equal(message.kind, "text");
    assert.equal(message.authorId, "user7");
    assert.equal(message.timestamp, 1_700_000_000_000);
  });

  it("falls back to text_entities when text is absent", async () => {
    const message = await readOne({
      text_entities: [
        { type: "plain", text: "a" },
        { type: "bold", text: "b" },
      ],
    });
    assert.equal(message.text, "ab");
  });

  it("reads service messages with their actor", async () => {
    const message = await readOne({
      type: "service",
      actor: "Ваня",
      actor_id: "user9",
      action: "pin_message",
      message_id: 3,
      text: "",
    });
    assert.deepEqual(
      { kind: message.kind, authorId: message.authorId, authorName: message.authorName },
      { kind: "service", authorId: "user9", authorName: "Ваня" },
    );
  });

  it("marks forwards, including forwards from an unnamed (null) source", async () => {
    assert.equal((await readOne({ text: "x", forwarded_from: "Канал" })).forwardedFrom, "Канал");
    const fromNull = await readOne({ text: "x", forwarded_from: null });
    assert.ok("forwardedFrom" in fromNull);
    assert.equal(fromNull.forwardedFrom, null);
    assert.ok(!("forwardedFrom" in (await readOne({ text: "x" }))));
  });

  it("reads stickers, including ones whose file was not exported", async () => {
    const sticker = await readOne({
      file: "stickers/sticker.webp",
      media_type: "sticker",
      sticker_emoji: "🤭",
      text: "",
    });
    assert.equal(sticker.kind, "sticker");
    assert.deepEqual(sticker.media, [{ type: "sticker", path: "stickers/sticker.webp" }]);
    const bare = await readOne({ media_type: "sticker", text: "" });
    assert.deepEqual(bare.media, [{ type: "sticker", omitted: true }]);
  });

  it("marks omitted files without a path, and captions as text", async () => {
    const photo = await readOne({
      photo: "(File not included. Change data exporting settings to download.)",
      text: "",
    });
    assert.equal(photo.kind, "media");
    assert.deepEqual(photo.media, [{ type: "photo", omitted: true }]);
    const big = await readOne({
      file: "(File exceeds maximum size. Change data exporting settings to download.)",
      media_type: "video_file",
      text: "caption",
    });
    assert.equal(big.kind, "text");
    assert.deepEqual(big.media, [{ type: "video", omitted: true }]);
  });

  it("maps every media_type", async () => {
    const cases: [string | undefined, string][] = [
      ["voice_message", "voice"],
      ["video_message", "round_video"],
      ["video_file", "video"],
      ["animation", "gif"],
      ["audio_file", "audio"],
      [undefined, "file"],
      ["something_new", "file"],
    ];
    for (const [mediaType, expected] of cases) {
      const message = await readOne({
        file: "files/f.bin",
        ...(mediaType ? { media_type: mediaType } : {}),
        text: "",
      });
      assert.deepEqual(message.media, [{ type: expected, path: "files/f.bin" }], String(mediaType));
      assert.equal(message.kind, "media");
    }
  });

  it("reads structured messages as poll, location and contact", async () => {
    assert.equal((await readOne({ poll: { question: "?", answers: [] }, text: "" })).kind, "poll");
    assert.equal(
      (await readOne({ location_information: { latitude: 1, longitude: 2 }, text: "" })).kind,
      "location",
    );
    assert.equal((await readOne({ place_name: "Кафе", address: "ул. 1", text: "" })).kind, "location");
    assert.equal((await readOne({ contact_information: { first_name: "A" }, text: "" })).kind, "contact");
  });

  it("normalises old numeric from_id to user<N> and keeps null senders", async () => {
    const old = await readOne({ from: "Ben", from_id: 9999999999, text: "x" });
    assert.equal(old.authorId, "user9999999999");
    const deleted = await readOne({ from: null, from_id: "user5", text: "x" });
    assert.equal(deleted.authorName, null);
    const channel = await readOne({ from: "Канал", from_id: "channel123", text: "x" });
    assert.equal(channel.authorId, "channel123");
  });

  it("reads `date` without date_unixtime as UTC wall time", async () => {
    const [message] = await readMessages(
      chat([{ id: 1, type: "message", date: "2021-03-22T17:16:54", text: "x" }]),
    );
    assert.equal(message?.timestamp, Date.UTC(2021, 2, 22, 17, 16, 54));
  });

  it("reads edits, replies and inline bots, and ignores the pre-2020 epoch `edited`", async () => {
    const message = await readOne({
      edited: "2023-01-01T00:00:00",
      reply_to_message_id: -999999990,
      via_bot: "@gif",
      text: "x",
    });
    assert.deepEqual(
      { edited: message.edited, replyToId: message.replyToId, viaBot: message.viaBot },
      { edited: true, replyToId: "-999999990", viaBot: "@gif" },
    );
    assert.ok(!("edited" in (await readOne({ edited: "1970-01-01T05:00:00", text: "x" }))));
    const crossChat = await readOne({ reply_to_message_id: 7, reply_to_peer_id: "channel1", text: "x" });
    assert.ok(!("replyToId" in crossChat));
  });

  it("reads unsupported messages, which have no date, at the previous message's time", async () => {
    const messages = await readMessages(
      chat([
        { id: 1, type: "message", date_unixtime: "100", text: "a" },
        { id: 2, type: "unsupported" },
      ]),
    );
    assert.deepEqual(messages[1], {
      id: "2",
      chatId: "42",
      authorId: null,
      authorName: null,
      timestamp: 100_000,
      text: "",
      kind: "unsupported",
    });
  });

  it("skips a corrupt message with its place and reads on", async () => {
    const records = await readAll(
      exportFileFromBytes(
        chat([
          { id: 1, type: "message", date_unixtime: "1", text: { not: "text" } },
          { id: 2, type: "message", date_unixtime: "1", from_id: ["x"], text: "" },
          "not an object",
          { id: "three", date_unixtime: "1" },
          { id: 4, type: "message", text: "no date" },
          { id: 5, type: "message", date_unixtime: "1", text: "fine" },
        ]),
      ),
    );
    const skipped = records.flatMap((r) => (r.type === "skipped" ? [r.skipped] : []));
    assert.deepEqual(
      skipped.map((s) => s.where),
      [
        "inline.json chat 42 message 1",
        "inline.json chat 42 message 2",
        "inline.json chat 42 message #2",
        "inline.json chat 42 message #3",
        "inline.json chat 42 message 4",
      ],
    );
    assert.match(skipped[0]?.reason ?? "", /text/);
    assert.deepEqual(
      messagesOf(records).map((m) => m.text),
      ["fine"],
    );
  });

  it("maps every chat type", async () => {
    const types: [string | null, string][] = [
      ["personal_chat", "personal"],
      ["bot_chat", "bot"],
      ["private_group", "group"],
      ["private_supergroup", "group"],
      ["public_supergroup", "group"],
      ["private_channel", "channel"],
      ["public_channel", "channel"],
      ["saved_messages", "saved"],
      ["replies", "other"],
      ["verification_codes", "other"],
      [null, "other"],
      ["brand_new_type", "other"],
    ];
    for (const [type, expected] of types) {
      const records = await readAll(exportFileFromBytes(chat([], { type, id: 1 })));
      assert.deepEqual(
        records.map((r) => (r.type === "chat" ? r.chat.type : r.type)),
        [expected],
      );
    }
  });
});

describe("telegram reader: full-account export", () => {
  const message = (id: number, text: string) => ({
    id,
    type: "message",
    date_unixtime: "1",
    from_id: "user1",
    text,
  });
  const full = (personalLast: boolean) =>
    exportText({
      kind: "full",
      personal: { user_id: 11, first_name: "Аня", last_name: "Иванова", phone_number: "+0" },
      personalLast,
      extras: {
        profile_pictures: [{ photo: "p.jpg" }],
        contacts: { about: "", list: [{ first_name: "x", messages: [message(99, "not a chat")] }] },
        frequent_contacts: { about: "", list: [] },
        sessions: { about: "", list: [{ id: 1 }] },
        profile_music: [],
        stories: [{ media: "s.jpg" }],
      },
      chats: [
        {
          header: { name: "Группа", type: "private_supergroup", id: 1 },
          messages: [message(1, "a"), message(2, "b")],
        },
        { header: { type: "saved_messages", id: 2 }, messages: [] },
      ],
      leftChats: [
        { header: { name: "Старый канал", type: "public_channel", id: 3 }, messages: [message(3, "c")] },
      ],
    });
  const shape = (records: ExportRecord[]) =>
    records.map((r) =>
      r.type === "account"
        ? `account ${r.owner.id} ${r.owner.name}`
        : r.type === "chat"
          ? `chat ${r.chat.id} ${r.chat.type}`
          : r.type === "message"
            ? `message ${r.message.chatId}/${r.message.id}`
            : "skipped",
    );

  it("emits the account first, then each chat of chats and left_chats with its messages; ignores other sections", async () => {
    assert.deepEqual(shape(await readAll(exportFileFromBytes(full(false)))), [
      "account user11 Аня Иванова",
      "chat 1 group",
      "message 1/1",
      "message 1/2",
      "chat 2 saved",
      "chat 3 channel",
      "message 3/3",
    ]);
  });

  it("emits the account where it stands when personal_information comes after the chats", async () => {
    const records = shape(await readAll(exportFileFromBytes(full(true))));
    assert.equal(records.at(-1), "account user11 Аня Иванова");
    assert.equal(records.length, 7);
  });

  it("gives chats without ids their position", async () => {
    const records = await readAll(
      exportFileFromBytes(
        exportText({
          kind: "full",
          chats: [
            { header: {}, messages: [] },
            { header: { name: "x" }, messages: [] },
          ],
        }),
      ),
    );
    assert.deepEqual(
      records.map((r) => (r.type === "chat" ? r.chat.id : r.type)),
      ["#0", "#1"],
    );
  });

  it("reports a list entry that is not a chat object and reads on", async () => {
    const text = '{"chats":{"list":[5,{"type":"personal_chat","id":7,"messages":[]}]}}';
    const records = await readAll(exportFileFromBytes(text));
    assert.deepEqual(records[0], {
      type: "skipped",
      skipped: { reason: "the chat is not a JSON object", where: "inline.json chats.list[0]" },
    });
    assert.equal(records[1]?.type, "chat");
  });
});
