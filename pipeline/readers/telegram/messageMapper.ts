import type { ChatMessage, MessageKind } from "../../model/conversation.js";
import { isJsonObject, type JsonObject, type JsonValue } from "../json/index.js";
import { MediaFieldError, mediaOf } from "./messageMedia.js";
import { plainTextOf } from "./messageText.js";
import { peerIdOf } from "./peerId.js";
import { fromUnixTime, fromWallTime } from "./telegramTime.js";

export interface MessageContext {
  chatId: string;
  /** Position in the chat's `messages` array, for messages without an id. */
  index: number;
  /** Timestamp of the previous message of the chat, for `unsupported` messages, which carry no date. */
  previousTimestamp: number | null;
}

export type MappedMessage = { message: ChatMessage } | { reason: string; id: string | null };

class FieldError extends Error {}

/** One tdesktop message object → a ChatMessage, or the reason it is unusable (a wrong-typed field). */
export function mapTelegramMessage(raw: JsonValue, context: MessageContext): MappedMessage {
  if (!isJsonObject(raw)) return { reason: "the message is not a JSON object", id: null };
  const rawId = raw.id;
  const id =
    typeof rawId === "number" && Number.isInteger(rawId)
      ? String(rawId)
      : rawId === undefined
        ? `#${context.index}`
        : null;
  if (id === null) return { reason: "id is not an integer", id: null };
  try {
    return { message: toMessage(raw, id, context) };
  } catch (error) {
    if (error instanceof FieldError || error instanceof MediaFieldError) return { reason: error.message, id };
    throw error;
  }
}

function toMessage(raw: JsonObject, id: string, context: MessageContext): ChatMessage {
  const type = raw.type ?? "message";
  if (typeof type !== "string") throw new FieldError("type is not a string");
  const service = type === "service";

  const text = plainTextOf(raw.text !== undefined ? raw.text : raw.text_entities);
  if (text === null) throw new FieldError("text is neither a string nor an array of text parts");

  const authorId = peerIdOf(service ? raw.actor_id : raw.from_id);
  if (authorId === undefined) throw new FieldError(`${service ? "actor_id" : "from_id"} is not an id`);
  const authorName = service ? raw.actor : raw.from;
  if (authorName !== undefined && authorName !== null && typeof authorName !== "string") {
    throw new FieldError(`${service ? "actor" : "from"} is not a string`);
  }

  const media = mediaOf(raw);
  const message: ChatMessage = {
    id,
    chatId: context.chatId,
    authorId,
    authorName: authorName ?? null,
    timestamp: timestampOf(raw, type, context),
    text,
    kind: kindOf(raw, type, text, media.length > 0),
  };

  if (raw.reply_to_message_id !== undefined) {
    const reply = raw.reply_to_message_id;
    if (typeof reply !== "number" || !Number.isInteger(reply))
      throw new FieldError("reply_to_message_id is not an integer");
    // A reply into another chat (reply_to_peer_id) cannot be resolved within this one.
    if (raw.reply_to_peer_id === undefined) message.replyToId = String(reply);
  }
  if ("forwarded_from" in raw) {
    const from = raw.forwarded_from;
    if (from !== null && typeof from !== "string") throw new FieldError("forwarded_from is not a string");
    message.forwardedFrom = from ?? null;
  }
  if (wasEdited(raw)) message.edited = true;
  if (media.length > 0) message.media = media;
  if (raw.via_bot !== undefined) {
    if (typeof raw.via_bot !== "string") throw new FieldError("via_bot is not a string");
    message.viaBot = raw.via_bot;
  }
  return message;
}

function timestampOf(raw: JsonObject, type: string, context: MessageContext): number {
  if (
    raw.date_unixtime !== undefined &&
    typeof raw.date_unixtime !== "string" &&
    typeof raw.date_unixtime !== "number"
  ) {
    throw new FieldError("date_unixtime is not a string");
  }
  if (raw.date !== undefined && typeof raw.date !== "string") throw new FieldError("date is not a string");
  const timestamp = fromUnixTime(raw.date_unixtime) ?? fromWallTime(raw.date);
  if (timestamp !== null) return timestamp;
  // tdesktop writes an unsupported message as {id, type} only; keeping it in order needs some time.
  if (type === "unsupported") return context.previousTimestamp ?? 0;
  throw new FieldError(
    raw.date === undefined && raw.date_unixtime === undefined ? "no date" : "date is not a valid date",
  );
}

function kindOf(raw: JsonObject, type: string, text: string, hasMedia: boolean): MessageKind {
  if (type === "unsupported") return "unsupported";
  if (type === "service") return "service";
  if (raw.media_type === "sticker") return "sticker";
  if (raw.poll !== undefined) return "poll";
  if (raw.location_information !== undefined || raw.place_name !== undefined) return "location";
  if (raw.contact_information !== undefined) return "contact";
  if (hasMedia && text.trim() === "") return "media";
  return "text";
}

/**
 * Before 2020-06 tdesktop wrote `edited` on every message, as the epoch in local time ("1970-01-01T05:00:00", or 1969-12-31 west of UTC)
 * when there was no edit; that is not an edit.
 */
function wasEdited(raw: JsonObject): boolean {
  const unix = raw.edited_unixtime;
  if (unix !== undefined) return unix !== "0" && unix !== 0;
  const edited = raw.edited;
  if (edited === undefined || edited === null) return false;
  return !(
    typeof edited === "string" &&
    (edited.startsWith("1970-01-01") || edited.startsWith("1969-12-31"))
  );
}
