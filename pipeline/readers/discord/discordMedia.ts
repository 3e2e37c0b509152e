import type { MediaRef, MediaType } from "../../model/conversation.js";
import { asRecord, stringOf } from "../json/index.js";

const byExtension: Readonly<Record<string, MediaType>> = {
  jpg: "photo",
  jpeg: "photo",
  png: "photo",
  webp: "photo",
  bmp: "photo",
  heic: "photo",
  avif: "photo",
  gif: "gif",
  mp4: "video",
  mov: "video",
  webm: "video",
  mkv: "video",
  avi: "video",
  m4v: "video",
  ogg: "audio",
  opus: "audio",
  mp3: "audio",
  wav: "audio",
  flac: "audio",
  m4a: "audio",
  aac: "audio",
};

/** Discord names every voice message this way; any other audio file is a plain upload. */
const VOICE_MESSAGE_FILE = "voice-message.ogg";

export function mediaTypeOfFileName(fileName: string): MediaType {
  if (fileName.toLowerCase() === VOICE_MESSAGE_FILE) return "voice";
  const dot = fileName.lastIndexOf(".");
  const ext = dot >= 0 ? fileName.slice(dot + 1).toLowerCase() : "";
  return (Object.hasOwn(byExtension, ext) && byExtension[ext]) || "file";
}

/**
 * An attachment as a MediaRef. `url` is preferred for the path: with `--media` DCE rewrites it to the
 * downloaded file's path relative to the export, which is what a media lookup needs.
 */
export function attachmentMedia(attachment: unknown): MediaRef | null {
  const record = asRecord(attachment);
  if (!record) return null;
  const url = stringOf(record.url);
  const fileName = stringOf(record.fileName);
  const name = fileName ?? lastSegment(url ?? "");
  const path = url ?? fileName;
  const media: MediaRef = { type: mediaTypeOfFileName(name) };
  if (path) media.path = path;
  return media;
}

export function stickerMedia(sticker: unknown): MediaRef | null {
  const record = asRecord(sticker);
  if (!record) return null;
  const media: MediaRef = { type: "sticker" };
  const path = stringOf(record.sourceUrl);
  if (path) media.path = path;
  return media;
}

function lastSegment(url: string): string {
  const clean = url.split(/[?#]/, 1)[0] ?? "";
  return clean.slice(clean.lastIndexOf("/") + 1);
}
