import type { ChatMessage, ExportRecord, MediaRef, MessageKind } from "../../model/conversation.js";
import { asArray, asRecord, type JsonRecord, stringOf } from "../json/index.js";
import { attachmentMedia, stickerMedia } from "./discordMedia.js";
import { idOf } from "./snowflake.js";

/**
 * MessageKind names whose `content` is what the author wrote. Every other kind (RecipientAdd, Call,
 * ChannelPinnedMessage, GuildMemberJoin, ThreadCreated, …) carries DCE's English fallback text instead.
 */
const AUTHORED_KINDS: ReadonlySet<string> = new Set(["Default", "Reply"]);

/**
 * One DCE message as a record: the message, or a skipped record naming `chatId/messageId` (or `fallbackWhere`
 * when the message has no usable id) so the dataset report can point at it.
 */
export function discordMessageRecord(raw: unknown, chatId: string, fallbackWhere: string): ExportRecord {
  const message = asRecord(raw);
  if (!message) return skipped("message is not an object", fallbackWhere);
  const id = idOf(message.id);
  if (id === null) return skipped("message has no id", fallbackWhere);
  const where = `${chatId}/${id}`;
  const timestampText = stringOf(message.timestamp);
  const timestamp = timestampText === null ? Number.NaN : Date.parse(timestampText);
  if (!Number.isFinite(timestamp)) return skipped("message has no valid timestamp", where);
  if (message.content !== undefined && message.content !== null && typeof message.content !== "string") {
    return skipped("message content is not a string", where);
  }

  const author = asRecord(message.author);
  const type = stringOf(message.type) ?? "Default";
  const reference = asRecord(message.reference);
  const forwarded = stringOf(reference?.type) === "Forward" ? asRecord(message.forwardedMessage) : null;
  // A forward's own content is empty: what was forwarded is the message's substance.
  const body = forwarded ?? message;
  const text = stringOf(body.content) ?? "";
  const media = mediaOf(body);

  const result: ChatMessage = {
    id,
    chatId,
    authorId: idOf(author?.id),
    authorName: stringOf(author?.nickname) ?? stringOf(author?.name),
    timestamp,
    text,
    kind: AUTHORED_KINDS.has(type) ? authoredKind(text, body) : "service",
  };
  const replyTo = forwarded ? null : idOf(reference?.messageId);
  if (replyTo !== null) result.replyToId = replyTo;
  if (forwarded) result.forwardedFrom = null; // DCE does not name the original author
  if (stringOf(message.timestampEdited) !== null) result.edited = true;
  if (media.length > 0) result.media = media;
  return { type: "message", message: result };
}

function authoredKind(text: string, body: JsonRecord): MessageKind {
  if (text.trim().length > 0) return "text";
  if (asArray(body.attachments).length > 0) return "media";
  if (asArray(body.stickers).length > 0) return "sticker";
  // Embeds only (bot cards, a link preview whose URL was removed): nothing of the author's to keep.
  return "unsupported";
}

function mediaOf(body: JsonRecord): MediaRef[] {
  const media: MediaRef[] = [];
  for (const attachment of asArray(body.attachments)) {
    const ref = attachmentMedia(attachment);
    if (ref) media.push(ref);
  }
  for (const sticker of asArray(body.stickers)) {
    const ref = stickerMedia(sticker);
    if (ref) media.push(ref);
  }
  return media;
}

function skipped(reason: string, where: string): ExportRecord {
  return { type: "skipped", skipped: { reason, where } };
}
