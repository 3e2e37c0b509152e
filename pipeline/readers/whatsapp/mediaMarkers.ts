import type { MediaType, MessageKind } from "../../model/conversation.js";

/**
 * Attachment markers (FORMATS.md §2.7). With media, Android writes `IMG-20190101-WA0000.jpg (file attached)`
 * (caption on the next line) and iOS `<attached: 00000001-PHOTO-2019-01-01-12-00-00.jpg>`; without media,
 * Android writes `<Media omitted>` and iOS `image omitted`, `sticker omitted`, … — all localized. English,
 * German and Russian are verified; the rest are from third-party parser tables (unverified, harmless if wrong).
 */

export interface MediaMarker {
  type: MediaType;
  /** A sticker or contact card is its own message kind, everything else is media. */
  kind: MessageKind;
  path?: string;
  omitted?: true;
}

/** Android "without media" marker: the type is unknown, so "file". */
const ANDROID_OMITTED = new Set([
  "<media omitted>",
  "<медиа отсутствуют>",
  "<medien ausgeschlossen>",
  "<multimedia omitido>",
  "<arquivo de mídia oculto>",
  "<médias omis>",
  "<media omessi>",
]);

/**
 * iOS "without media" markers: `<type word> <omitted word>`, the word tells the type. Documents carry a
 * description first (`report.pdf • 3 pages document omitted`); only then is a prefix allowed, so that a text
 * such as "the photo omitted" stays text.
 */
const IOS_OMITTED =
  /^(?:[^\n]*• [^\n]*)?(image|photo|video|audio|GIF|sticker|document|Contact card|Bild|Foto|Dokument|Kontaktkarte|imagen|vídeo|documento|tarjeta de contacto|imagem|áudio|figurinha|изображение|фото|видео|аудио|стикер|документ|карточка контакта) (?:omitted|weggelassen|omitid[oa]|ocultad[oa]|отсутствует)$/i;

/** Cheap pre-check before the regex: how every iOS marker ends. */
const OMITTED_WORDS = ["omitted", "weggelassen", "omitido", "omitida", "ocultado", "ocultada", "отсутствует"];

const IOS_OMITTED_TYPES: Record<string, MediaType | "contact"> = {
  image: "photo",
  photo: "photo",
  bild: "photo",
  foto: "photo",
  imagen: "photo",
  imagem: "photo",
  изображение: "photo",
  фото: "photo",
  video: "video",
  vídeo: "video",
  видео: "video",
  audio: "audio",
  áudio: "audio",
  аудио: "audio",
  gif: "gif",
  sticker: "sticker",
  figurinha: "sticker",
  стикер: "sticker",
  document: "file",
  dokument: "file",
  documento: "file",
  документ: "file",
  "contact card": "contact",
  kontaktkarte: "contact",
  "tarjeta de contacto": "contact",
  "карточка контакта": "contact",
};

function fromType(type: MediaType | "contact", extra: { path?: string; omitted?: true }): MediaMarker {
  if (type === "contact") return { type: "file", kind: "contact", ...extra };
  return { type, kind: type === "sticker" ? "sticker" : "media", ...extra };
}

/** A whole message body that says the file was left out of the export. */
export function omittedMedia(text: string): MediaMarker | null {
  if (text.length > 80) return null;
  const t = text.trim();
  if (t.charCodeAt(0) === 0x3c)
    return ANDROID_OMITTED.has(t.toLowerCase()) ? fromType("file", { omitted: true }) : null;
  if (!OMITTED_WORDS.some((w) => t.endsWith(w))) return null;
  const m = IOS_OMITTED.exec(t);
  if (m === null) return null;
  const type = IOS_OMITTED_TYPES[(m[1] as string).toLowerCase()] ?? "file";
  return fromType(type, { omitted: true });
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

/** Android: `NAME (file attached)` as the whole first line of the body. */
const ANDROID_ATTACHED =
  /^(.+?) \((?:file attached|Datei angehängt|archivo adjunto|arquivo anexado|файл прикреплён|файл прикреплен|fichier joint|file allegato)\)$/i;

export function androidAttachment(firstLine: string): MediaMarker | null {
  if (!firstLine.endsWith(")")) return null;
  const m = ANDROID_ATTACHED.exec(firstLine);
  return m === null ? null : mediaFromFileName((m[1] as string).trim());
}

/** iOS: `<attached: NAME>` anywhere in the body (documents put a description before it), or old `NAME <attached>`. */
const IOS_ATTACHED = /<(?:attached|Anhang|adjunto|allegato|bijlage|anexo|вложение): ([^>\n]+)>/;
const IOS_ATTACHED_OLD = /^(\S.*?) <attached>$/;

export function iosAttachment(text: string): MediaMarker | null {
  if (!text.includes(">")) return null;
  const m = IOS_ATTACHED.exec(text) ?? IOS_ATTACHED_OLD.exec(text);
  return m === null ? null : mediaFromFileName((m[1] as string).trim());
}
