/**
 * Invisible characters WhatsApp writes into exports. They are formatting, never content: iOS puts U+200E
 * (left-to-right mark) before attachments, omitted-media markers and system texts; RTL locales use U+200F;
 * a BOM may lead a file that went through a Windows editor. Stripping them keeps "‎image omitted" and
 * "image omitted" the same marker and "‎Ann" and "Ann" the same author.
 * Zero-width joiners (U+200D) and variation selectors are part of emoji and are kept.
 */
const DIRECTION_MARKS = /[\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;
const HAS_DIRECTION_MARK = /[\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/;

/** Removes direction marks and BOMs; line breaks, spaces and emoji are kept. */
export function stripDirectionMarks(text: string): string {
  // Testing first avoids allocating a copy for the vast majority of lines, which have no marks.
  return HAS_DIRECTION_MARK.test(text) ? text.replace(DIRECTION_MARKS, "") : text;
}

/** True when `code` is a character that may lead a header line before its date (see stripDirectionMarks). */
export function isLeadingMark(code: number): boolean {
  return (
    code === 0x200e ||
    code === 0x200f ||
    code === 0xfeff ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

const ODD_SPACES = /[\u00A0\u202F\u2007]/g;
/** iOS marks senders who are not saved contacts with a leading "~ " (a plain or no-break space). */
const NON_CONTACT_PREFIX = /^~\s*/;

/**
 * An author as an id: the name or phone number as written, without direction marks, with no-break spaces
 * read as spaces (phones are formatted with U+00A0 on some devices), trimmed, and without iOS's "~ "
 * non-contact marker, which is display decoration rather than part of the name.
 */
export function normalizeAuthor(raw: string): string {
  return stripDirectionMarks(raw).replace(ODD_SPACES, " ").trim().replace(NON_CONTACT_PREFIX, "");
}
