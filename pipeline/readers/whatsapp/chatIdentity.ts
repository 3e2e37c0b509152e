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

// A group's name where the file has none (iOS `_chat.txt`): the system lines that create or rename the group
// carry it. The part before the verb has no colon, so a person's message (`Ann: I created group "x"`) is no
// notice. English, Russian and German wordings; a miss only leaves the name unknown.
const GROUP_NAME_NOTICES = [
  /^[^:“”"«»]+ created group [“"](.+)[”"]$/,
  /^[^:“”"«»]+ changed (?:the subject|the group name|this group's name) (?:from [“"].*[”"] )?to [“"](.+)[”"]$/,
  /^[^:“”"«»]+ (?:создал|создала|создали|создал\(а\)) группу [«"“](.+)[»"”]$/,
  /^[^:“”"«»]+ (?:изменил|изменила|изменили|изменил\(а\)) (?:тему|название группы)(?: с [«"“].*[»"”])? на [«"“](.+)[»"”]$/,
  /^[^:„“"]+ ha(?:t|st) (?:die )?Gruppe [„"“](.+)[“"”] erstellt$/,
];

/** The group's latest name from the bodies (`Ann created group “Family”`) of authorless lines, or null. */
export function groupNameFromNotices(bodies: Iterable<string>): string | null {
  let name: string | null = null;
  for (const body of bodies) {
    const text = body.replace(/^[\u200e\u200f\u202a-\u202e]+/, "").trim();
    for (const pattern of GROUP_NAME_NOTICES) {
      const m = pattern.exec(text);
      if (m?.[1]?.trim()) name = m[1].trim();
    }
  }
  return name;
}
