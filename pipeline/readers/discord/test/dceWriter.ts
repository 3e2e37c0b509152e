import type { ChatInfo, ChatMessage, ChatType } from "../../../model/conversation.js";

/** A DCE-shaped file from model values: the inverse of the reader, for round-trip properties. */

const channelTypeOf: Record<ChatType, string> = {
  personal: "DirectTextChat",
  group: "GuildTextChat",
  channel: "GuildNews",
  saved: "GuildCategory",
  bot: "GuildCategory",
  other: "GuildCategory",
};

export interface DceMessageExtras {
  /** MessageKind name for service messages. */
  serviceType?: string;
  /** Minutes east of UTC used to write the timestamp (the offset must not change the instant). */
  offsetMinutes?: number;
}

export function writeDceExport(chat: ChatInfo, messages: Array<[ChatMessage, DceMessageExtras]>): string {
  const isDm = chat.type === "personal";
  const doc = {
    guild: isDm ? { id: "0", name: "Direct Messages" } : { id: "42", name: "Guild" },
    channel: { id: chat.id, type: channelTypeOf[chat.type], categoryId: "1", category: "c", name: chat.name },
    dateRange: { after: null, before: null },
    exportedAt: "2024-01-01T00:00:00+00:00",
    messages: messages.map(([m, extras]) => writeMessage(m, extras)),
    messageCount: messages.length,
  };
  return JSON.stringify(doc, null, 2);
}

function writeMessage(m: ChatMessage, extras: DceMessageExtras): Record<string, unknown> {
  const attachments = (m.media ?? []).filter((r) => r.type !== "sticker");
  const stickers = (m.media ?? []).filter((r) => r.type === "sticker");
  const type =
    m.kind === "service" ? (extras.serviceType ?? "RecipientAdd") : m.replyToId ? "Reply" : "Default";
  const out: Record<string, unknown> = {
    id: m.id,
    type,
    timestamp: isoWithOffset(m.timestamp, extras.offsetMinutes ?? 0),
    timestampEdited: m.edited ? isoWithOffset(m.timestamp + 1000, 0) : null,
    callEndedTimestamp: null,
    isPinned: false,
    content: m.text,
    author: {
      id: m.authorId,
      name: `${m.authorName}-name`,
      discriminator: "0000",
      nickname: m.authorName,
      isBot: false,
    },
    attachments: attachments.map((r, i) => ({
      id: String(i),
      url: r.path,
      fileName: baseName(r.path ?? ""),
      fileSizeBytes: 1,
    })),
    embeds: [],
    stickers: stickers.map((r, i) => ({ id: String(i), name: "s", format: "Png", sourceUrl: r.path })),
    reactions: [],
    mentions: [],
  };
  if (m.replyToId) out.reference = { messageId: m.replyToId, channelId: m.chatId, guildId: "42" };
  return out;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

export function isoWithOffset(epochMs: number, offsetMinutes: number): string {
  const local = new Date(epochMs + offsetMinutes * 60_000).toISOString().slice(0, -1); // drop "Z"
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  return `${local}${sign}${hh}:${mm}`;
}
