import { isLeadingMark } from "./invisibleChars.js";
import type { Meridiem } from "./wallClock.js";

/**
 * The header that starts every WhatsApp message line, in all layouts FORMATS.md §2.3 lists:
 *
 *   Android  `12/31/20, 11:59 PM - Ann: text`   `31.12.2020, 23:59 - Ann: text`   (no "Ann: " → system line)
 *   iOS      `[31.12.20, 23:59:59] Ann: text`   `‎[8/15/23, 9:12:48 AM] Ann: ‎image omitted`
 *   rarer    `13.06.18 21.25.15: `  `13. 6. 2018. 21:25:15 - `  `13.6.2018 klo 21.25.15 - `  `2019/01/01, 11:25 - `
 *
 * Grammar, equivalent to this regex (after leading direction marks), but scanned by hand because it runs on
 * every line and a regex match allocates a dozen substrings:
 *
 *   (\[)? (\d{1,4}) ([./-]) \s? (\d{1,4}) \3 \s? (\d{1,4}) \.? ,? \s ([^\d[\]]{0,12}) (\d{1,2}) [:.] (\d{2})
 *   ([:.]\d{2})? (\s? ([aApP]\.?\s?[mM]\.? | 上午|下午|午前|午後|오전|오후|ص|م))? ( \]\s? | \s-(\s|$) | [:;]\s )
 *
 * The date separator is the same both times; the 0-12 non-digits before the time are locale words (`klo`,
 * `à`, a leading `下午`); `\s` includes U+00A0 and U+202F, which 2023+ exports put inside `p. m.` and before
 * `PM`. `]` closes a header only if `[` opened it. Deliberately not headers (they are continuation text):
 * `3:22_AM` (noise in a LangChain sample), time-before-date layouts without a year (`10:35 PM, 07 20 - `),
 * and non-ASCII digits.
 */

export interface ParsedHeader {
  /** The three date numbers in written order; which is day, month and year is decided per file. */
  parts: [number, number, number];
  /** Index of the year in `parts`: the four-digit number, or the last one when all have two digits. */
  yearIndex: 0 | 1 | 2;
  yearDigits: 2 | 4;
  /**
   * Date layout of this line (separator, year position, year width) as a number. Files are one layout in
   * practice, but the corpus has a file mixing `6/30/23` (month first) and `30/6/2023` (day first), so the
   * day/month order is decided per layout, not per file.
   */
  layout: number;
  hour: number;
  minute: number;
  /** 0 when the layout has no seconds. */
  second: number;
  hasSeconds: boolean;
  meridiem: Meridiem;
  bracketed: boolean;
  /** Everything after the header: `Author: text` or a system text. */
  body: string;
  /** The line and where its date is, so error messages can quote the date as written. */
  line: string;
  dateStart: number;
  dateEnd: number;
}

/** The date as written in the file, for messages. */
export function dateTextOf(h: ParsedHeader): string {
  return h.line.slice(h.dateStart, h.dateEnd);
}

const AM_WORDS = ["上午", "午前", "오전", "ص"];
const PM_WORDS = ["下午", "午後", "오후", "م"];
const LOCAL_MERIDIEMS: readonly [readonly string[], Meridiem][] = [
  [AM_WORDS, "am"],
  [PM_WORDS, "pm"],
];

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** JavaScript's `\s` within a line (tab, space, no-break spaces, typographic spaces). */
function isSpace(c: number): boolean {
  return (
    c === 0x20 ||
    c === 0x09 ||
    c === 0xa0 ||
    c === 0x202f ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0x1680
  );
}

/** `[aApP]\.?\s?[mM]\.?` at `at`: the index after it, or -1. */
function latinMeridiemEnd(line: string, at: number): number {
  let i = at + 1;
  if (line.charCodeAt(i) === 0x2e) i++;
  if (isSpace(line.charCodeAt(i))) i++;
  if ((line.charCodeAt(i) | 0x20) !== 0x6d) return -1;
  i++;
  if (line.charCodeAt(i) === 0x2e) i++;
  return i;
}

function wordMeridiem(word: string): Meridiem {
  const w = word.trim();
  if (AM_WORDS.includes(w)) return "am";
  if (PM_WORDS.includes(w)) return "pm";
  return null;
}

/** Where a run of ASCII digits starting at `i` ends (at most `max` digits are read). */
function digitsEnd(line: string, i: number, max: number): number {
  const stop = Math.min(line.length, i + max);
  while (i < stop && isDigit(line.charCodeAt(i))) i++;
  return i;
}

function numberAt(line: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) v = v * 10 + (line.charCodeAt(i) - 0x30);
  return v;
}

/**
 * Parses a header line, or returns null for a continuation line. Dates are not validated here. Written as one
 * flat scan with local indexes (charCodeAt past the end is NaN, which fails every test below).
 */
export function parseHeader(line: string): ParsedHeader | null {
  let i = 0;
  while (isLeadingMark(line.charCodeAt(i))) i++;
  const bracketed = line.charCodeAt(i) === 0x5b;
  if (bracketed) i++;
  // Most continuation lines fail here, on their first character.
  if (!isDigit(line.charCodeAt(i))) return null;

  // Date: three numbers (up to 5 digits read, so that 3- and 5-digit numbers can be rejected below).
  const dateStart = i;
  let end = digitsEnd(line, i, 5);
  const p0 = numberAt(line, i, end);
  const d0 = end - i;
  const sep = line.charCodeAt(end);
  if (sep !== 0x2f && sep !== 0x2e && sep !== 0x2d) return null;
  i = end + 1;
  if (isSpace(line.charCodeAt(i))) i++;
  end = digitsEnd(line, i, 5);
  if (end === i || line.charCodeAt(end) !== sep) return null;
  const p1 = numberAt(line, i, end);
  const d1 = end - i;
  i = end + 1;
  if (isSpace(line.charCodeAt(i))) i++;
  end = digitsEnd(line, i, 5);
  if (end === i) return null;
  const p2 = numberAt(line, i, end);
  const d2 = end - i;
  const dateEnd = end;
  i = end;
  if (line.charCodeAt(i) === 0x2e) i++;
  if (line.charCodeAt(i) === 0x2c) i++;
  if (!isSpace(line.charCodeAt(i))) return null;
  i++;

  // Up to 12 locale-word characters before the time.
  const wordStart = i;
  while (i < line.length && !isDigit(line.charCodeAt(i))) {
    const c = line.charCodeAt(i);
    if (c === 0x5b || c === 0x5d || i - wordStart >= 12) return null;
    i++;
  }
  const wordEnd = i;

  // Time: h:mm or h.mm, optional :ss.
  end = digitsEnd(line, i, 2);
  if (end === i) return null;
  const hour = numberAt(line, i, end);
  const timeSep = line.charCodeAt(end);
  if (timeSep !== 0x3a && timeSep !== 0x2e) return null;
  i = end + 1;
  if (!isDigit(line.charCodeAt(i)) || !isDigit(line.charCodeAt(i + 1))) return null;
  const minute = numberAt(line, i, i + 2);
  i += 2;
  let second = 0;
  let hasSeconds = false;
  const c = line.charCodeAt(i);
  if ((c === 0x3a || c === 0x2e) && isDigit(line.charCodeAt(i + 1)) && isDigit(line.charCodeAt(i + 2))) {
    second = numberAt(line, i + 1, i + 3);
    hasSeconds = true;
    i += 3;
  }

  // Meridiem, optionally after one space; on failure the position stays after the time.
  let meridiem: Meridiem = null;
  {
    const at = isSpace(line.charCodeAt(i)) ? i + 1 : i;
    const m = line.charCodeAt(at) | 0x20;
    if (m === 0x61 || m === 0x70) {
      const after = latinMeridiemEnd(line, at);
      if (after !== -1) {
        meridiem = m === 0x61 ? "am" : "pm";
        i = after;
      }
    } else if (m > 0x600) {
      for (const [words, meaning] of LOCAL_MERIDIEMS) {
        const w = words.find((x) => line.startsWith(x, at));
        if (w !== undefined) {
          meridiem = meaning;
          i = at + w.length;
          break;
        }
      }
    }
  }

  // Terminator: `]` (only after `[`), ` - `, or `: ` / `; `.
  const t = line.charCodeAt(i);
  if (t === 0x5d) {
    if (!bracketed) return null;
    i++;
    if (isSpace(line.charCodeAt(i))) i++;
  } else if (bracketed) {
    return null;
  } else if (
    isSpace(t) &&
    line.charCodeAt(i + 1) === 0x2d &&
    (i + 2 >= line.length || isSpace(line.charCodeAt(i + 2)))
  ) {
    i = Math.min(i + 3, line.length);
  } else if ((t === 0x3a || t === 0x3b) && isSpace(line.charCodeAt(i + 1))) {
    i += 2;
  } else {
    return null;
  }

  // The year is the one four-digit number, or the last of three two-digit ones.
  if (d0 > 4 || d1 > 4 || d2 > 4 || d0 === 3 || d1 === 3 || d2 === 3) return null;
  const fours = (d0 === 4 ? 1 : 0) + (d1 === 4 ? 1 : 0) + (d2 === 4 ? 1 : 0);
  if (fours > 1) return null;
  const yearIndex: 0 | 1 | 2 = d0 === 4 ? 0 : d1 === 4 ? 1 : 2;
  const yearDigits: 2 | 4 = fours === 1 ? 4 : 2;
  if (meridiem === null && wordEnd > wordStart) meridiem = wordMeridiem(line.slice(wordStart, wordEnd));
  return {
    parts: [p0, p1, p2],
    yearIndex,
    yearDigits,
    layout: sep * 100 + yearIndex * 10 + yearDigits,
    hour,
    minute,
    second,
    hasSeconds,
    meridiem,
    bracketed,
    body: line.slice(i),
    line,
    dateStart,
    dateEnd,
  };
}
