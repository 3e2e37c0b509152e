import type { MediaRef, MediaType } from "../../model/conversation.js";
import type { JsonObject } from "../json/index.js";

const MEDIA_TYPES: Readonly<Record<string, MediaType>> = {
  sticker: "sticker",
  voice_message: "voice",
  video_message: "round_video",
  video_file: "video",
  animation: "gif",
  audio_file: "audio",
};

// tdesktop writes "(File not included. …)", "(File exceeds maximum size. …)", "(File unavailable, …)" in
// place of a path; real paths are relative and never parenthesised.
const PLACEHOLDER = /^\(.*\)$/s;

function mediaRef(type: MediaType, path: string): MediaRef {
  return path === "" || PLACEHOLDER.test(path) ? { type, omitted: true } : { type, path };
}

/** A media field of the wrong type (not a string): the message is corrupt. */
export class MediaFieldError extends Error {}

/** The attachments of a message: `photo` and/or `file` (typed by `media_type`; none means a plain file). */
export function mediaOf(message: JsonObject): MediaRef[] {
  const media: MediaRef[] = [];
  const photo = message.photo;
  if (typeof photo === "string") media.push(mediaRef("photo", photo));
  else if (photo !== undefined && photo !== null) throw new MediaFieldError("photo is not a string");
  const file = message.file;
  const mediaType = message.media_type;
  if (mediaType !== undefined && typeof mediaType !== "string")
    throw new MediaFieldError("media_type is not a string");
  const type: MediaType =
    typeof mediaType === "string" && Object.hasOwn(MEDIA_TYPES, mediaType)
      ? (MEDIA_TYPES[mediaType] ?? "file")
      : "file";
  if (typeof file === "string") media.push(mediaRef(type, file));
  else if (file !== undefined && file !== null) throw new MediaFieldError("file is not a string");
  // A sticker exported without its file still is a sticker.
  else if (type === "sticker") media.push({ type, omitted: true });
  return media;
}
