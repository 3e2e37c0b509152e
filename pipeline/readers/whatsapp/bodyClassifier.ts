import type { MediaRef, MessageKind } from "../../model/conversation.js";
import {
  androidAttachment,
  iosAttachment,
  isUnknownMarker,
  type MediaMarker,
  omittedMedia,
} from "./mediaMarkers.js";
import {
  isAuthoredNotice,
  isDeletedMarker,
  isEncryptionNotice,
  isLocation,
  isPoll,
  withoutEditedMarker,
} from "./systemNotices.js";

/** What an authored message body turned out to be. */
export interface ClassifiedBody {
  kind: MessageKind;
  text: string;
  media?: MediaRef[];
  edited?: true;
  /** The "author" was not a person (iOS writes the encryption banner under the group's name). */
  authorIsNotAPerson?: true;
}

function mediaRef(marker: MediaMarker): MediaRef[] {
  const ref: MediaRef = { type: marker.type };
  if (marker.path !== undefined) ref.path = marker.path;
  if (marker.omitted) ref.omitted = true;
  return [ref];
}

function withMedia(marker: MediaMarker, caption: string): ClassifiedBody {
  // A caption makes it the author's words with an attachment; a bare file is a media (or sticker…) message.
  const kind = caption !== "" && marker.kind === "media" ? "text" : marker.kind;
  return { kind, text: caption, media: mediaRef(marker) };
}

/**
 * Classifies the text after `Author: ` (direction marks already removed). Order matters: the edit marker is
 * a suffix of any text; deletion and notices are whole-body markers; Android attachments are the first line
 * with the caption below; iOS attachments may sit after a document description, which is dropped because
 * WhatsApp generated it. `bannerPossible` says whether an encryption banner can be here (see MessageBuilder).
 */
export function classifyBody(body: string, bannerPossible: boolean): ClassifiedBody {
  const unedited = withoutEditedMarker(body);
  const text = unedited ?? body;
  const result = classifyUnedited(text, bannerPossible);
  if (unedited !== null) result.edited = true;
  return result;
}

function classifyUnedited(text: string, bannerPossible: boolean): ClassifiedBody {
  if (isDeletedMarker(text)) return { kind: "deleted", text: "" };
  if (text === "null") return { kind: "unsupported", text: "" };
  const omitted = omittedMedia(text);
  if (omitted !== null) return withMedia(omitted, "");
  const nl = text.indexOf("\n");
  const firstLine = nl === -1 ? text : text.slice(0, nl);
  const android = androidAttachment(firstLine);
  if (android !== null) return withMedia(android, nl === -1 ? "" : text.slice(nl + 1));
  const ios = iosAttachment(text);
  if (ios !== null) return withMedia(ios, "");
  if (isPoll(text)) return { kind: "poll", text };
  if (isLocation(text)) return { kind: "location", text };
  if (bannerPossible && isEncryptionNotice(text)) return { kind: "service", text, authorIsNotAPerson: true };
  if (isAuthoredNotice(text)) return { kind: "service", text };
  // WhatsApp's wording in a language or app version the table lacks: never the author's words.
  if (isUnknownMarker(text)) return { kind: "unknownMarker", text: "" };
  return { kind: "text", text };
}
