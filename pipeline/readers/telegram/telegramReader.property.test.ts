import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { ChatMessage, ChatType, MediaRef } from "../../model/conversation.js";
import { readAll } from "./test/collect.js";
import { exportFileFromBytes } from "./test/exportFiles.js";
import { exportText, type WrittenChat, type WrittenExport } from "./test/exportWriter.js";

// Text made of what real chats contain: Cyrillic, emoji (with ZWJ and skin tones), line breaks, quotes,
// backslashes, control characters (written as tdesktop's `\xNN`) and direction marks (which the reader drops).
const piece = fc.oneof(
  fc.constantFrom(
    "Привет",
    "ёжик",
    "Ж",
    "😀",
    "👍🏽",
    "👨‍👩‍👧",
    "\n",
    "\r\n",
    "\t",
    '"',
    "\\",
    "\\x41",
    "\u0001",
    "\u001f",
    "\u200e",
    "\u2028",
    " ",
  ),
  fc.string({ unit: "grapheme", maxLength: 8 }),
);
const text = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(""));
const visible = (s: string) => s.replace(/[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g, "");

const entityType = fc.constantFrom(
  "bold",
  "italic",
  "link",
  "text_link",
  "mention_name",
  "custom_emoji",
  "blockquote",
  "pre",
  "code",
  "spoiler",
);
const textValue = fc.oneof(
  text,
  fc.array(fc.oneof(text, fc.record({ type: entityType, text })), { maxLength: 6 }),
);
const joined = (value: string | (string | { text: string })[]) =>
  visible(
    typeof value === "string" ? value : value.map((p) => (typeof p === "string" ? p : p.text)).join(""),
  );

interface Draft {
  kind: "message" | "service" | "unsupported";
  seconds: number;
  dateOnly: boolean;
  from: string | null;
  fromId: string | number | undefined;
  text: string | (string | { type: string; text: string })[];
  forwardedFrom: string | null | undefined;
  edited: boolean;
  replyTo: number | undefined;
  viaBot: string | undefined;
  media: { key: "photo" | "file"; mediaType?: string; path: string } | undefined;
}

const mediaTypes: Record<string, MediaRef["type"]> = {
  sticker: "sticker",
  voice_message: "voice",
  video_message: "round_video",
  video_file: "video",
  animation: "gif",
  audio_file: "audio",
};

const draft: fc.Arbitrary<Draft> = fc.record({
  kind: fc.constantFrom("message", "message", "message", "service", "unsupported"),
  seconds: fc.integer({ min: 0, max: 2_000_000_000 }),
  dateOnly: fc.boolean(),
  from: fc.option(text, { nil: null }),
  fromId: fc.option(
    fc.oneof(
      fc.nat().map((n) => `user${n}`),
      fc.nat().map((n) => `channel${n}`),
      fc.nat(),
    ),
    { nil: undefined },
  ),
  text: textValue,
  forwardedFrom: fc.option(fc.option(text, { nil: null }), { nil: undefined }),
  edited: fc.boolean(),
  replyTo: fc.option(fc.integer({ min: -1_000_000_000, max: 1_000_000 }), { nil: undefined }),
  viaBot: fc.option(fc.constant("@gif"), { nil: undefined }),
  media: fc.option(
    fc.record({
      key: fc.constantFrom("photo" as const, "file" as const),
      mediaType: fc.option(fc.constantFrom(...Object.keys(mediaTypes)), { nil: undefined }),
      path: fc.constantFrom(
        "photos/photo_1@01-01-2024_10-00-00.jpg",
        "files/отчёт.pdf",
        "(File not included. Change data exporting settings to download.)",
      ),
    }),
    { nil: undefined },
  ),
});

const wallTime = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 19);

/** The tdesktop object for a draft, keys in tdesktop's order. */
function written(d: Draft, id: number): Record<string, unknown> {
  if (d.kind === "unsupported") return { id, type: "unsupported" };
  const o: Record<string, unknown> = { id, type: d.kind, date: wallTime(d.seconds) };
  if (!d.dateOnly) o.date_unixtime = String(d.seconds);
  if (d.edited)
    Object.assign(o, { edited: wallTime(d.seconds + 60), edited_unixtime: String(d.seconds + 60) });
  const [name, idKey] = d.kind === "service" ? ["actor", "actor_id"] : ["from", "from_id"];
  o[name] = d.from;
  if (d.fromId !== undefined) o[idKey] = d.fromId;
  if (d.kind === "service") o.action = "pin_message";
  if (d.forwardedFrom !== undefined) o.forwarded_from = d.forwardedFrom;
  if (d.replyTo !== undefined) o.reply_to_message_id = d.replyTo;
  if (d.viaBot !== undefined) o.via_bot = d.viaBot;
  if (d.media) {
    o[d.media.key] = d.media.path;
    if (d.media.key === "file" && d.media.mediaType) o.media_type = d.media.mediaType;
  }
  o.text = d.text;
  return o;
}

/** What the model says the reader must return for a draft (the spec, written independently of the reader). */
function expected(d: Draft, id: number, chatId: string, previous: number | null): ChatMessage {
  if (d.kind === "unsupported") {
    return {
      id: String(id),
      chatId,
      authorId: null,
      authorName: null,
      timestamp: previous ?? 0,
      text: "",
      kind: "unsupported",
    };
  }
  const t = joined(d.text);
  const media: MediaRef[] = [];
  if (d.media) {
    const type = d.media.key === "photo" ? "photo" : (mediaTypes[d.media.mediaType ?? ""] ?? "file");
    media.push(d.media.path.startsWith("(") ? { type, omitted: true } : { type, path: d.media.path });
  }
  const sticker = d.media?.key === "file" && d.media.mediaType === "sticker";
  const m: ChatMessage = {
    id: String(id),
    chatId,
    authorId: d.fromId === undefined ? null : typeof d.fromId === "number" ? `user${d.fromId}` : d.fromId,
    authorName: d.from,
    timestamp: d.seconds * 1000,
    text: t,
    kind:
      d.kind === "service"
        ? "service"
        : sticker
          ? "sticker"
          : media.length > 0 && t.trim() === ""
            ? "media"
            : "text",
  };
  if (d.replyTo !== undefined) m.replyToId = String(d.replyTo);
  if (d.forwardedFrom !== undefined) m.forwardedFrom = d.forwardedFrom;
  if (d.edited) m.edited = true;
  if (media.length > 0) m.media = media;
  if (d.viaBot !== undefined) m.viaBot = d.viaBot;
  return m;
}

const chatTypes: [string, ChatType][] = [
  ["personal_chat", "personal"],
  ["private_supergroup", "group"],
  ["public_channel", "channel"],
  ["saved_messages", "saved"],
  ["bot_chat", "bot"],
  ["replies", "other"],
];
const chatDraft = fc.record({
  id: fc.integer({ min: 1, max: 2 ** 40 }),
  name: fc.option(text, { nil: null }),
  type: fc.integer({ min: 0, max: chatTypes.length - 1 }),
  messages: fc.array(draft, { maxLength: 12 }),
});
type ChatDraft = typeof chatDraft extends fc.Arbitrary<infer T> ? T : never;

function chatOf(c: ChatDraft): WrittenChat {
  return {
    header: { name: c.name, type: chatTypes[c.type]?.[0], id: c.id },
    // Ids ascend like tdesktop's; their values are irrelevant to the reader.
    messages: c.messages.map((d, i) => written(d, i * 3 + 1)),
  };
}

function expectedRecords(chats: ChatDraft[]) {
  return chats.map((c) => {
    let previous: number | null = null;
    return {
      chat: { id: String(c.id), name: c.name, type: chatTypes[c.type]?.[1] },
      messages: c.messages.map((d, i) => {
        const m = expected(d, i * 3 + 1, String(c.id), previous);
        previous = m.timestamp;
        return m;
      }),
    };
  });
}

describe("telegram reader: random exports read back", () => {
  it("returns the chats and messages that were written", { timeout: 60_000 }, async () => {
    const exportDraft = fc.oneof(
      fc.record({ single: fc.constant(true as const), chats: chatDraft.map((c) => [c]) }),
      fc.record({
        single: fc.constant(false as const),
        chats: fc.array(chatDraft, { maxLength: 4 }),
        left: fc.array(chatDraft, { maxLength: 2 }),
        personalLast: fc.boolean(),
      }),
    );
    await fc.assert(
      fc.asyncProperty(exportDraft, fc.integer({ min: 1, max: 4096 }), async (e, chunkSize) => {
        const exp: WrittenExport = e.single
          ? { kind: "single", chat: chatOf(e.chats[0] as ChatDraft) }
          : {
              kind: "full",
              personal: { user_id: 7, first_name: "Аня", last_name: "" },
              personalLast: e.personalLast,
              extras: { contacts: { about: "x", list: [{ first_name: "a" }] }, profile_music: [] },
              chats: e.chats.map(chatOf),
              leftChats: e.left.map(chatOf),
            };
        const records = await readAll(exportFileFromBytes(exportText(exp), "random.json", chunkSize));
        assert.deepEqual(
          records.filter((r) => r.type === "skipped"),
          [],
        );
        const actual = records
          .filter((r) => r.type !== "account")
          .reduce<{ chat: unknown; messages: ChatMessage[] }[]>((out, r) => {
            if (r.type === "chat")
              out.push({ chat: { id: r.chat.id, name: r.chat.name, type: r.chat.type }, messages: [] });
            else if (r.type === "message") out.at(-1)?.messages.push(r.message);
            return out;
          }, []);
        assert.deepEqual(actual, expectedRecords(e.single ? e.chats : [...e.chats, ...e.left]));
        if (!e.single) {
          const accounts = records.filter((r) => r.type === "account");
          assert.deepEqual(accounts, [{ type: "account", owner: { id: "user7", name: "Аня" } }]);
          assert.equal(e.personalLast ? records.at(-1)?.type : records[0]?.type, "account");
        }
      }),
      { numRuns: 200 },
    );
  });
});
