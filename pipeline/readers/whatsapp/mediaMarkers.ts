import type { MediaType, MessageKind } from "../../model/conversation.js";
import { type OmittedType, WHATSAPP_MARKERS } from "./markerTable.js";

/**
 * Attachment markers (FORMATS.md §2.7). With media, Android writes `IMG-20190101-WA0000.jpg (file attached)`
 * (caption on the next line) and iOS `<attached: 00000001-PHOTO-2019-01-01-12-00-00.jpg>`; without media,
 * Android writes `<Media omitted>` and iOS `image omitted`, `sticker omitted`, … — all localized. The strings
 * per language, with where each was found, are in `markerTable.ts`.
 */

export interface MediaMarker {
  type: MediaType;
  /** A sticker or contact card is its own message kind, everything else is media. */
  kind: MessageKind;
  path?: string;
  omitted?: true;
}

const languages = Object.values(WHATSAPP_MARKERS);

/** Android "without media" markers, lower-cased: the type is unknown, so "file". */
const ANDROID_OMITTED = new Set(languages.flatMap((l) => l.androidOmitted.map((m) => m.toLowerCase())));

/** iOS "without media" markers, lower-cased, to the type they name. */
const IOS_OMITTED = new Map<string, OmittedType>(
  languages.flatMap((l) =>
    Object.entries(l.iosOmitted).flatMap(([type, markers]) =>
      (markers ?? []).map((m): [string, OmittedType] => [m.toLowerCase(), type as OmittedType]),
    ),
  ),
);
const IOS_DOCUMENT_OMITTED = [...IOS_OMITTED].filter(([, type]) => type === "file").map(([m]) => m);
/** Lengths the markers have: most texts are rejected by length alone, before any copy or lookup. */
const ANDROID_LENGTHS = new Set([...ANDROID_OMITTED].map((m) => m.length));
const IOS_LENGTHS = new Set([...IOS_OMITTED.keys()].map((m) => m.length));

const isSpace = (code: number) => code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d;

/** The text without surrounding whitespace, copying only when there is some. */
function trimmed(text: string): string {
  return isSpace(text.charCodeAt(0)) || isSpace(text.charCodeAt(text.length - 1)) ? text.trim() : text;
}

function fromType(type: MediaType | "contact", extra: { path?: string; omitted?: true }): MediaMarker {
  if (type === "contact") return { type: "file", kind: "contact", ...extra };
  return { type, kind: type === "sticker" ? "sticker" : "media", ...extra };
}

/**
 * A whole message body that says the file was left out of the export. iOS documents carry a description
 * first (`report.pdf • 3 pages document omitted`); only then is a prefix allowed, so that a text such as
 * "why image omitted again" stays text.
 */
export function omittedMedia(text: string): MediaMarker | null {
  if (text.length > 200) return null;
  const t = trimmed(text);
  if (t.charCodeAt(0) === 0x3c)
    return ANDROID_LENGTHS.has(t.length) && ANDROID_OMITTED.has(t.toLowerCase())
      ? fromType("file", { omitted: true })
      : null;
  const type = IOS_LENGTHS.has(t.length) ? IOS_OMITTED.get(t.toLowerCase()) : undefined;
  if (type !== undefined) return fromType(type, { omitted: true });
  if (t.includes("• ")) {
    const lower = t.toLowerCase();
    if (IOS_DOCUMENT_OMITTED.some((m) => lower.endsWith(` ${m}`))) return fromType("file", { omitted: true });
  }
  return null;
}

/** A lone `<…>` on one line that no table knows: most likely a marker of a language or version not listed. */
const LONE_MARKER = /^<[^<>\n]{1,80}>$/;

export function isUnknownMarker(text: string): boolean {
  if (text.length > 90) return false;
  const t = trimmed(text);
  return t.charCodeAt(0) === 0x3c && t.charCodeAt(t.length - 1) === 0x3e && LONE_MARKER.test(t);
}

const ANDROID_PREFIX_TYPES: Record<string, MediaType> = {
  IMG: "photo",
  VID: "video",
  PTT: "voice",
  AUD: "audio",
  STK: "sticker",
  GIF: "gif",
  DOC: "file",
};

const IOS_WORD_TYPES: Record<string, MediaType> = {
  PHOTO: "photo",
  VIDEO: "video",
  AUDIO: "audio",
  GIF: "gif",
  STICKER: "sticker",
};

const EXTENSION_TYPES: Record<string, MediaType | "contact"> = {
  jpg: "photo",
  jpeg: "photo",
  png: "photo",
  heic: "photo",
  webp: "sticker",
  mp4: "video",
  mov: "video",
  "3gp": "video",
  opus: "voice",
  mp3: "audio",
  m4a: "audio",
  aac: "audio",
  ogg: "audio",
  wav: "audio",
  vcf: "contact",
};

/** What a file is, from the naming schemes of both platforms, falling back to the extension. */
export function mediaFromFileName(path: string): MediaMarker {
  const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  const byExtension = EXTENSION_TYPES[ext];
  if (byExtension === "contact") return fromType("contact", { path });
  const android = /^([A-Z]{3})-\d{8}-WA\d+/.exec(path);
  const androidType = android === null ? undefined : ANDROID_PREFIX_TYPES[android[1] as string];
  if (androidType !== undefined) return fromType(androidType, { path });
  const ios = /^\d{8}-([A-Z]+)-/.exec(path) ?? /^\d{4}-\d{2}-\d{2}-([A-Z]+)-/.exec(path);
  const iosWord = ios === null ? undefined : IOS_WORD_TYPES[ios[1] as string];
  // iOS voice notes are AUDIO-….opus; the extension is the better hint there.
  if (iosWord !== undefined)
    return fromType(iosWord === "audio" && ext === "opus" ? "voice" : iosWord, { path });
  return fromType(byExtension ?? "file", { path });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const alternatives = (words: string[]) => [...new Set(words)].map(escapeRegExp).join("|");

/** Android: `NAME (file attached)` as the whole first line of the body. */
const ANDROID_ATTACHED = new RegExp(
  `^(.+?) \\((?:${alternatives(languages.flatMap((l) => [...l.androidAttached]))})\\)$`,
  "i",
);

export function androidAttachment(firstLine: string): MediaMarker | null {
  if (!firstLine.endsWith(")")) return null;
  const m = ANDROID_ATTACHED.exec(firstLine);
  return m === null ? null : mediaFromFileName((m[1] as string).trim());
}

/** iOS: `<attached: NAME>` anywhere in the body (documents put a description before it), or old `NAME <attached>`. */
const IOS_ATTACHED = new RegExp(
  `<(?:${alternatives(languages.flatMap((l) => [...l.iosAttached]))}): ([^>\\n]+)>`,
);
const IOS_ATTACHED_OLD = /^(\S.*?) <attached>$/;

export function iosAttachment(text: string): MediaMarker | null {
  if (!text.includes(">")) return null;
  const m = IOS_ATTACHED.exec(text) ?? IOS_ATTACHED_OLD.exec(text);
  return m === null ? null : mediaFromFileName((m[1] as string).trim());
}
