/**
 * Files an export carries beside its chats (photos, voice notes, stickers) and the debris archivers add.
 * Recognised by name alone, so that uploads with thousands of photos are not opened just to be ignored.
 */
const MEDIA_EXTENSIONS: ReadonlySet<string> = new Set([
  "jpg",
  "jpeg",
  "png",
  "gif",
  "webp",
  "bmp",
  "heic",
  "heif",
  "avif",
  "tif",
  "tiff",
  "svg",
  "mp4",
  "mov",
  "webm",
  "mkv",
  "avi",
  "m4v",
  "3gp",
  "tgs",
  "ogg",
  "opus",
  "oga",
  "mp3",
  "wav",
  "flac",
  "m4a",
  "aac",
  "amr",
  "pdf",
  "vcf",
  "doc",
  "docx",
  "xls",
  "xlsx",
  "ppt",
  "pptx",
  "apk",
]);

const JUNK = /(^|\/)(__MACOSX\/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)/i;

export function isMediaFileName(path: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot > 0 && MEDIA_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}

/** Archives inside the upload are not opened (every limit would multiply); the person is told instead. */
export function isNestedArchiveName(path: string): boolean {
  return /\.(zip|rar|7z|tar|gz|tgz)$/i.test(path);
}

export function isArchiverJunk(path: string): boolean {
  return JUNK.test(path);
}
