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
 * What the scanners below found on the current line. One object, reused for every line (parsing is
 * synchronous and not re-entrant), so that a line allocates nothing until its header is returned.
 */
const scan = {
  /** The three date numbers and how many digits each had (up to 5 read, so that 3 and 5 can be refused). */
  p0: 0,
  p1: 0,
  p2: 0,
  d0: 0,
  d1: 0,
  d2: 0,
  /** The date separator (`/`, `.` or `-`), the same both times. */
  sep: 0,
  dateEnd: 0,
  yearIndex: 0 as 0 | 1 | 2,
  yearDigits: 2 as 2 | 4,
  hour: 0,
  minute: 0,
  second: 0,
  hasSeconds: false,
  meridiem: null as Meridiem,
};

/**
 * Parses a header line, or returns null for a continuation line. Dates are not validated here. A flat scan
 * with local indexes: each scanner takes the index where its part starts and returns the index after it, or
 * -1 when the line is not a header (charCodeAt past the end is NaN, which fails every test).
 */
export function parseHeader(line: string): ParsedHeader | null {
  let i = 0;
  while (isLeadingMark(line.charCodeAt(i))) i++;
  const bracketed = line.charCodeAt(i) === 0x5b;
  if (bracketed) i++;
  // Most continuation lines fail here, on their first character.
  if (!isDigit(line.charCodeAt(i))) return null;
  const dateStart = i;
  const wordStart = scanDate(line, i);
  if (wordStart === -1) return null;
  const wordEnd = scanLocaleWord(line, wordStart);
  if (wordEnd === -1) return null;
  i = scanTime(line, wordEnd);
  if (i === -1) return null;
  i = scanMeridiem(line, i);
  i = scanTerminator(line, i, bracketed);
  if (i === -1 || !scanYear()) return null;
  let meridiem = scan.meridiem;
  if (meridiem === null && wordEnd > wordStart) meridiem = wordMeridiem(line.slice(wordStart, wordEnd));
  return {
    parts: [scan.p0, scan.p1, scan.p2],
    yearIndex: scan.yearIndex,
    yearDigits: scan.yearDigits,
    layout: scan.sep * 100 + scan.yearIndex * 10 + scan.yearDigits,
    hour: scan.hour,
    minute: scan.minute,
    second: scan.second,
    hasSeconds: scan.hasSeconds,
    meridiem,
    bracketed,
    body: line.slice(i),
    line,
    dateStart,
    dateEnd: scan.dateEnd,
  };
}

/**
 * Date: three numbers with the same separator, each optionally after one space, then `.`? `,`? and one
 * space. Starts on a digit; fills the date fields of `scan`.
 */
function scanDate(line: string, at: number): number {
  let end = digitsEnd(line, at, 5);
  scan.p0 = numberAt(line, at, end);
  scan.d0 = end - at;
  const sep = line.charCodeAt(end);
  if (sep !== 0x2f && sep !== 0x2e && sep !== 0x2d) return -1;
  scan.sep = sep;
  let i = end + 1;
  if (isSpace(line.charCodeAt(i))) i++;
  end = digitsEnd(line, i, 5);
  if (end === i || line.charCodeAt(end) !== sep) return -1;
  scan.p1 = numberAt(line, i, end);
  scan.d1 = end - i;
  i = end + 1;
  if (isSpace(line.charCodeAt(i))) i++;
  end = digitsEnd(line, i, 5);
  if (end === i) return -1;
  scan.p2 = numberAt(line, i, end);
  scan.d2 = end - i;
  scan.dateEnd = end;
  i = end;
  if (line.charCodeAt(i) === 0x2e) i++;
  if (line.charCodeAt(i) === 0x2c) i++;
  if (!isSpace(line.charCodeAt(i))) return -1;
  return i + 1;
}

/** Up to 12 locale-word characters before the time (no digit, no bracket): where the time starts. */
function scanLocaleWord(line: string, at: number): number {
  let i = at;
  while (i < line.length && !isDigit(line.charCodeAt(i))) {
    const c = line.charCodeAt(i);
    if (c === 0x5b || c === 0x5d || i - at >= 12) return -1;
    i++;
  }
  return i;
}

/** Time: h:mm or h.mm, optional :ss (or .ss); fills the time fields of `scan`. */
function scanTime(line: string, at: number): number {
  const end = digitsEnd(line, at, 2);
  if (end === at) return -1;
  const timeSep = line.charCodeAt(end);
  if (timeSep !== 0x3a && timeSep !== 0x2e) return -1;
  let i = end + 1;
  if (!isDigit(line.charCodeAt(i)) || !isDigit(line.charCodeAt(i + 1))) return -1;
  scan.hour = numberAt(line, at, end);
  scan.minute = numberAt(line, i, i + 2);
  i += 2;
  scan.second = 0;
  scan.hasSeconds = false;
  const c = line.charCodeAt(i);
  if ((c === 0x3a || c === 0x2e) && isDigit(line.charCodeAt(i + 1)) && isDigit(line.charCodeAt(i + 2))) {
    scan.second = numberAt(line, i + 1, i + 3);
    scan.hasSeconds = true;
    i += 3;
  }
  return i;
}

/**
 * Meridiem, optionally after one space, into `scan.meridiem` (null if none). Never fails: without one the
 * index stays after the time.
 */
function scanMeridiem(line: string, at: number): number {
  scan.meridiem = null;
  const start = isSpace(line.charCodeAt(at)) ? at + 1 : at;
  const m = line.charCodeAt(start) | 0x20;
  if (m === 0x61 || m === 0x70) {
    const after = latinMeridiemEnd(line, start);
    if (after === -1) return at;
    scan.meridiem = m === 0x61 ? "am" : "pm";
    return after;
  }
  if (m > 0x600) {
    for (const [words, meaning] of LOCAL_MERIDIEMS) {
      const w = words.find((x) => line.startsWith(x, start));
      if (w !== undefined) {
        scan.meridiem = meaning;
        return start + w.length;
      }
    }
  }
  return at;
}

/** The separator that ends the header: `]` (only after `[`) and one optional space, ` - `, or `: ` / `; `. */
function scanTerminator(line: string, at: number, bracketed: boolean): number {
  const t = line.charCodeAt(at);
  if (t === 0x5d) {
    if (!bracketed) return -1;
    return isSpace(line.charCodeAt(at + 1)) ? at + 2 : at + 1;
  }
  if (bracketed) return -1;
  if (
    isSpace(t) &&
    line.charCodeAt(at + 1) === 0x2d &&
    (at + 2 >= line.length || isSpace(line.charCodeAt(at + 2)))
  )
    return Math.min(at + 3, line.length);
  if ((t === 0x3a || t === 0x3b) && isSpace(line.charCodeAt(at + 1))) return at + 2;
  return -1;
}

/** The year is the one four-digit number, or the last of three two-digit ones; false for other widths. */
function scanYear(): boolean {
  const { d0, d1, d2 } = scan;
  if (d0 > 4 || d1 > 4 || d2 > 4 || d0 === 3 || d1 === 3 || d2 === 3) return false;
  const fours = (d0 === 4 ? 1 : 0) + (d1 === 4 ? 1 : 0) + (d2 === 4 ? 1 : 0);
  if (fours > 1) return false;
  scan.yearIndex = d0 === 4 ? 0 : d1 === 4 ? 1 : 2;
  scan.yearDigits = fours === 1 ? 4 : 2;
  return true;
}
