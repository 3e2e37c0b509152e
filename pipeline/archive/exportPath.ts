/**
 * The one normal form of a path inside an export ("a/b/c.jpg"), used both for entry names and for lookups,
 * so that `chats\chat_01\photo.jpg`, `./chats/chat_01/photo.jpg` and `chats//chat_01/photo.jpg` meet.
 * Returns a reason instead when the path could escape the export (zip slip) or is not a file name at all.
 */
export function normalizeExportPath(raw: string): { path: string } | { reason: string } {
  if (raw.includes("\u0000")) return { reason: "the name contains a NUL character" };
  const slashed = raw.replaceAll("\\", "/");
  if (slashed.startsWith("/")) return { reason: "absolute path" };
  if (/^[A-Za-z]:/.test(slashed)) return { reason: "path with a drive letter" };
  const parts: string[] = [];
  for (const part of slashed.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") return { reason: "path escapes the archive (..)" };
    parts.push(part);
  }
  if (parts.length === 0) return { reason: "empty name" };
  return { path: parts.join("/") };
}

/** A lookup path in normal form, or null when it cannot name a file of the export. */
export function lookupPath(raw: string): string | null {
  const normal = normalizeExportPath(raw);
  return "path" in normal ? normal.path : null;
}
