import { posix } from "node:path";
import type { ChatMessage, MediaRef, MediaType, MessageKind } from "../../model/conversation.js";
import { removeDirectionMarks } from "../telegram/messageText.js";
import { fromDateTitle } from "./htmlTime.js";
import type { RawHtmlMedia, RawHtmlMessage } from "./rawMessage.js";

/** What a message of a tdesktop HTML chat inherits from the one before it (joined messages, service dates). */
export interface HtmlChatState {
  chatId: string;
  /** The folder of the chat's pages inside the export, for media paths (`chats/chat_001`, or ""). */
  folder: string;
  author: string | null;
  viaBot: string | null;
  forwardedFrom: string | null;
  timestamp: number | null;
}

const UNSUPPORTED = "This message is not supported by this version of Telegram Desktop";
const VIA = " via @";

/** One raw message → a ChatMessage, the same one the JSON reader makes from the JSON of that message. */
export function mapHtmlMessage(raw: RawHtmlMessage, state: HtmlChatState): ChatMessage | { reason: string } {
  const ownTime = fromDateTitle(raw.dateTitle);
  if (ownTime === null && !raw.service)
    return { reason: raw.dateTitle ? "date is not a valid date" : "no date" };
  const timestamp = ownTime ?? state.timestamp ?? 0;
  state.timestamp = timestamp;
  const id = String(raw.id);
  if (raw.service) {
    const kind: MessageKind = raw.serviceText.startsWith(UNSUPPORTED) ? "unsupported" : "service";
    // tdesktop writes no author for a service line, only English prose naming them; the JSON's text is empty.
    return { id, chatId: state.chatId, authorId: null, authorName: null, timestamp, text: "", kind };
  }
  if (!raw.joined) {
    const [author, via] = splitVia(raw.fromName);
    state.author = author;
    state.viaBot = via;
  }
  const message: ChatMessage = {
    id,
    chatId: state.chatId,
    authorId: null,
    authorName: state.author,
    timestamp,
    text: removeDirectionMarks(raw.text),
    kind: "text",
  };
  if (raw.replyTo !== null) message.replyToId = String(raw.replyTo);
  if (raw.forwarded) {
    if (raw.forwardedName !== null) state.forwardedFrom = splitVia(raw.forwardedName)[0];
    message.forwardedFrom = state.forwardedFrom;
  }
  if (state.viaBot !== null) message.viaBot = state.viaBot;
  const media = raw.media ? mediaOf(raw.media, state.folder) : null;
  if (media?.ref) message.media = [media.ref];
  message.kind = media?.kind ?? (message.media && message.text.trim() === "" ? "media" : "text");
  return message;
}

/** `Name via @bot` → the name and `@bot` (the JSON's `via_bot`). */
function splitVia(fromName: string | null): [string | null, string | null] {
  if (fromName === null) return [null, null];
  const at = fromName.lastIndexOf(VIA);
  if (at < 0) return [fromName, null];
  return [fromName.slice(0, at).trim() || null, `@${fromName.slice(at + VIA.length).trim()}`];
}

interface MappedMedia {
  ref?: MediaRef;
  /** Set when the media decides the kind (sticker, poll, contact, location, call). */
  kind?: MessageKind;
}

const GENERIC: Readonly<Record<string, MediaType>> = {
  media_voice_message: "voice",
  media_audio_file: "audio",
  media_file: "file",
};

const WRAP_TYPES: Readonly<Record<string, MediaType>> = {
  photo_wrap: "photo",
  sticker_wrap: "sticker",
  animated_wrap: "gif",
  video_file_wrap: "video",
};

function mediaOf(media: RawHtmlMedia, folder: string): MappedMedia {
  const ref = (type: MediaType): MediaRef => {
    const path = media.href ? resolveHref(media.href, folder) : null;
    return path ? { type, path } : { type, omitted: true };
  };
  const wrapped = WRAP_TYPES[media.kind];
  if (wrapped)
    return wrapped === "sticker" ? { ref: ref("sticker"), kind: "sticker" } : { ref: ref(wrapped) };
  switch (media.kind) {
    case "media_photo":
      // A sticker or photo without a thumbnail is drawn as a generic block titled "Sticker" / "Photo".
      return media.title === "Sticker" ? { ref: ref("sticker"), kind: "sticker" } : { ref: ref("photo") };
    case "media_video":
      if (media.title === "Video message") return { ref: ref("round_video") };
      return { ref: ref(media.title === "Animation" ? "gif" : "video") };
    case "media_poll":
      return { kind: "poll" };
    case "media_contact":
      return { kind: "contact" };
    case "media_location":
    case "media_live_location":
    case "media_venue":
      return { kind: "location" };
    case "media_call":
      // A call is a service line in the JSON; the HTML draws it as a message from the caller.
      return { kind: "service" };
    default: {
      const type = GENERIC[media.kind];
      return type ? { ref: ref(type) } : {};
    }
  }
}

/** A media link (`photos/p.jpg`, `../../chats/chat_001/photos/p.jpg`) → the path inside the export, or null. */
function resolveHref(href: string, folder: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return null;
  let decoded = href;
  try {
    decoded = decodeURIComponent(href);
  } catch {
    // tdesktop does not percent-encode its links; a stray % stays as it is.
  }
  const path = posix.normalize(posix.join(folder || ".", decoded));
  return path.startsWith("../") || path === ".." ? null : path;
}
