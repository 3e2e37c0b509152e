/**
 * The one conversation model every export reader produces (Telegram, WhatsApp, Discord), streamed as
 * ExportRecords so that a multi-GB export is never held in memory.
 */

export type ExportFormat = "telegram-json" | "telegram-html" | "whatsapp-txt" | "discord-json" | "vk-html";

/** What kind of chat a message lives in; channels are broadcasts, not the owner's dialogue. */
export type ChatType = "personal" | "group" | "channel" | "saved" | "bot" | "other";

export interface ChatInfo {
  /** Stable within one export (Telegram peer id, WhatsApp file name, Discord channel id). */
  id: string;
  name: string | null;
  type: ChatType;
  format: ExportFormat;
  /** The file (inside an archive: `archive.zip!/path`) the chat was read from. */
  source: string;
}

/**
 * - text: the author's own words (possibly with media attached);
 * - media: an attachment without text (photo, video, voice, file, round video, gif);
 * - sticker: a sticker or an emoji-only animated sticker;
 * - service: joins, leaves, pins, calls, title changes and other system lines;
 * - poll, location, contact: structured messages with no free text of the author;
 * - deleted: "This message was deleted" markers;
 * - unsupported: what the exporting app could not export.
 */
export type MessageKind =
  | "text"
  | "media"
  | "sticker"
  | "service"
  | "poll"
  | "location"
  | "contact"
  | "deleted"
  | "unsupported"
  /** A lone `<…>` the reader does not know (an export marker in a language or app version not listed). */
  | "unknownMarker";

export type MediaType = "photo" | "video" | "voice" | "audio" | "round_video" | "gif" | "sticker" | "file";

export interface MediaRef {
  type: MediaType;
  /** Path relative to the export root as the export names it; absent when the export omitted the file. */
  path?: string;
  /** True when the export says the file was not included ("media omitted", "File not included"). */
  omitted?: boolean;
}

export interface ChatMessage {
  /** Unique within its chat. */
  id: string;
  chatId: string;
  /** Stable author id within the export (`user123`, a phone or name for WhatsApp, a Discord user id); null when unknown. */
  authorId: string | null;
  authorName: string | null;
  /** Epoch milliseconds. Exports without a zone (Telegram `date`, WhatsApp) are read as UTC wall time. */
  timestamp: number;
  /** Plain text: entity parts joined, invisible direction marks removed, line breaks kept. */
  text: string;
  kind: MessageKind;
  replyToId?: string;
  /** Set when the message was forwarded: the original author or channel (null when unnamed). */
  forwardedFrom?: string | null;
  edited?: boolean;
  media?: MediaRef[];
  /** Inline bot the message was sent through. */
  viaBot?: string;
}

/** Who exported the data, when the export says so (Telegram's personal_information). */
export interface AccountOwner {
  id: string;
  name: string | null;
}

/** A message or a file the reader could not use, with where it was, for the dataset report. */
export interface SkippedInput {
  /** In English, with the numbers: "compression ratio 1,000:1 over the limit of 200:1". */
  reason: string;
  /** What kind of skip, for a report to translate (with `values`); absent for a reader's free-form reason. */
  code?: string;
  /** The numbers the reason names (the measured value, the limit), by name. */
  values?: Record<string, number>;
  /** `file:line` or `file@byteOffset` or `chat/messageId`. */
  where: string;
}

export type ExportRecord =
  | { type: "account"; owner: AccountOwner }
  | { type: "chat"; chat: ChatInfo }
  | { type: "message"; message: ChatMessage }
  | { type: "skipped"; skipped: SkippedInput };

/**
 * An export that cannot be read at all (not JSON, truncated, an archive that is not a zip): an error
 * naming the file and the line or byte offset, so the CLI can say exactly what is wrong.
 */
export class ExportReadError extends Error {
  override readonly name = "ExportReadError";
  constructor(
    readonly file: string,
    readonly where: string,
    /** What is wrong, without the file and place (the message names them). */
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}${where ? ` (${where})` : ""}: ${detail}`, options);
  }
}
