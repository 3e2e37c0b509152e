import { WHATSAPP_MARKERS } from "./markerTable.js";

/**
 * Localized texts of WhatsApp notices. System lines are found by structure (a header without `Author: `); these
 * lists only cover what structure cannot: notices that iOS writes *as if* someone said them, and which system
 * lines tell a group from a personal chat. The per-language strings, with their sources, are in
 * `markerTable.ts`; the group-event words below are best-effort (a miss only means a chat is read as personal).
 */

const languages = Object.values(WHATSAPP_MARKERS);
const lower = (pick: (l: (typeof languages)[number]) => readonly string[]) =>
  new Set(languages.flatMap((l) => pick(l).map((m) => m.toLowerCase())));

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * End-to-end encryption banners. iOS attributes them to the other person or, in groups, to the group name
 * (FORMATS.md §2.6), so the "author" is not a person and is dropped.
 */
const ENCRYPTION_NOTICE = new RegExp([...lower((l) => l.encryption)].map(escapeRegExp).join("|"), "i");

export function isEncryptionNotice(text: string): boolean {
  return text.length < 400 && ENCRYPTION_NOTICE.test(text);
}

/** Notices Android writes under the acting person's name: the author is real, the text is not theirs. */
const AUTHORED_NOTICE = /updated the message timer|turned (?:on|off) disappearing messages/;
/** Missed calls: the whole body, with or without a final period. */
const MISSED_CALLS = lower((l) => l.missedCalls);
const MISSED_CALL_LENGTHS = new Set([...MISSED_CALLS].flatMap((m) => [m.length, m.length + 1]));

export function isAuthoredNotice(text: string): boolean {
  if (text.length >= 300) return false;
  if (
    MISSED_CALL_LENGTHS.has(text.length) ||
    (text.length < 70 && MISSED_CALL_LENGTHS.has(text.trim().length))
  ) {
    const t = text.trim().toLowerCase();
    if (MISSED_CALLS.has(t.endsWith(".") ? t.slice(0, -1) : t)) return true;
  }
  return AUTHORED_NOTICE.test(text);
}

/**
 * System lines that only occur in groups: creation, adding, removing, leaving, subject and icon changes, invite
 * links, "Messages to this group…". Checked on authorless lines only.
 */
const GROUP_EVENT =
  /\bgroup\b|\badded\b|\bremoved\b|\bleft\b|\bjoined using\b|Gruppe|hinzugefügt|entfernt|verlassen|групп|добавил|удалил|вышел|вышла|\bgrupo\b|añadió|agregó|adicionou|removeu|\bgroupe\b|a ajouté|a retiré|\bgruppo\b|ha aggiunto|ha rimosso/i;

export function isGroupEvent(systemText: string): boolean {
  return GROUP_EVENT.test(systemText);
}

/** Whole-body markers of deleted messages, lower-cased, without a trailing period. */
const DELETED = lower((l) => l.deleted);

/** Lengths the markers can have (with or without the period): most texts are rejected by length alone. */
const DELETED_LENGTHS = new Set([...DELETED].flatMap((m) => [m.length, m.length + 1]));

export function isDeletedMarker(text: string): boolean {
  const padded = text.charCodeAt(0) === 0x20 || text.charCodeAt(text.length - 1) === 0x20;
  const trimmed = padded ? text.trim() : text;
  if (!DELETED_LENGTHS.has(trimmed.length)) return false;
  const t = trimmed.toLowerCase();
  return DELETED.has(t.endsWith(".") ? t.slice(0, -1) : t);
}

/** Trailing edit marker (2023+): `Hello <This message was edited>` (Spanish writes a period inside). */
const EDITED_SUFFIX = new RegExp(
  `\\s*<(?:${[...lower((l) => l.edited)].map(escapeRegExp).join("|")})\\.?>\\s*$`,
  "i",
);

/** The text without its edit marker, or null when it has none. */
export function withoutEditedMarker(text: string): string | null {
  // A '>' at the end first: the regex only runs on the few texts that could match.
  let last = text.length - 1;
  while (last >= 0 && (text.charCodeAt(last) === 0x20 || text.charCodeAt(last) === 0x0a)) last--;
  if (text.charCodeAt(last) !== 0x3e) return null;
  const stripped = text.replace(EDITED_SUFFIX, "");
  return stripped === text ? null : stripped;
}

/** iOS polls: `POLL:` then the question and `OPTION: … (n votes)` lines. */
const POLL = /^(?:POLL|ОПРОС|UMFRAGE|ENCUESTA|ENQUETE|SONDAGE|SONDAGGIO):\s*(?:\n|$)/;

export function isPoll(text: string): boolean {
  return POLL.test(text);
}

/**
 * Shared locations: Android writes `location: https://maps.google.com/?q=lat,lon` as the last of three lines,
 * iOS `Place (Area): https://maps.google.com/?q=…` or `Location: https://…`. A bare maps link is a location too.
 */
const LOCATION_LINE = /(?:^|\n)(?:[^\n]{0,200}?:\s)?https?:\/\/maps\.google\.com\/\?q=\S+\s*$/;

export function isLocation(text: string): boolean {
  return text.includes("maps.google.") && LOCATION_LINE.test(text);
}
