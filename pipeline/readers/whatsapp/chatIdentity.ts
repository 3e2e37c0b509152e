/**
 * One WhatsApp text file is one chat. Its id is the file's path inside the export (unique there, stable
 * across runs); its name comes from the file name Android gives it, localized. iOS always names the file
 * `_chat.txt` (the chat's name is only on the zip), so there it is null, as for any other name we do not know.
 * Non-English patterns other than Russian are unverified.
 */
const NAME_PATTERNS = [
  /^WhatsApp Chat with (.+)\.txt$/i,
  /^Чат WhatsApp с (.+)\.txt$/i,
  /^WhatsApp[- ]Chat mit (.+)\.txt$/i,
  /^Chat de WhatsApp con (.+)\.txt$/i,
  /^Conversa do WhatsApp com (.+)\.txt$/i,
  /^Discussion WhatsApp avec (.+)\.txt$/i,
  /^Chat WhatsApp con (.+)\.txt$/i,
];

function baseName(path: string): string {
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return path.slice(cut + 1);
}

export function chatNameFromPath(path: string): string | null {
  const base = baseName(path).normalize("NFC");
  for (const pattern of NAME_PATTERNS) {
    const m = pattern.exec(base);
    if (m !== null) return (m[1] as string).trim() || null;
  }
  return null;
}

export function chatIdentity(path: string): { id: string; name: string | null } {
  return { id: path, name: chatNameFromPath(path) };
}
