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

/** A scanner over one line; fields hold the last number read, so parsing allocates nothing but the result. */
class Scanner {
  pos = 0;
  value = 0;
  digits = 0;
  constructor(readonly s: string) {}

  code(at = this.pos): number {
    return at < this.s.length ? this.s.charCodeAt(at) : -1;
  }

  /** Reads 1..max digits into `value`/`digits`; false when there is none. */
  number(max: number): boolean {
    let v = 0;
    const start = this.pos;
    while (this.pos - start < max && isDigit(this.code())) v = v * 10 + (this.s.charCodeAt(this.pos++) - 0x30);
    this.value = v;
    this.digits = this.pos - start;
    return this.digits > 0;
  }

  optional(c: number): void {
    if (this.code() === c) this.pos++;
  }

  optionalSpace(): void {
    if (isSpace(this.code())) this.pos++;
  }

  /** `[aApP]\.?\s?[mM]\.?` or a CJK/Korean/Arabic word at the position; advances past it on success. */
  meridiem(): Meridiem {
    const c = this.code() | 0x20;
    if (c === 0x61 || c === 0x70) {
      let at = this.pos + 1;
      if (this.code(at) === 0x2e) at++;
      if (isSpace(this.code(at))) at++;
      if ((this.code(at) | 0x20) !== 0x6d) return null;
      at++;
      if (this.code(at) === 0x2e) at++;
      this.pos = at;
      return c === 0x61 ? "am" : "pm";
    }
    return this.word(AM_WORDS, "am") ?? this.word(PM_WORDS, "pm");
  }

  private word(words: readonly string[], meaning: Meridiem): Meridiem {
    for (const w of words) {
      if (this.s.startsWith(w, this.pos)) {
        this.pos += w.length;
        return meaning;
      }
    }
    return null;
  }
}

function meridiemWord(word: string): Meridiem {
  const w = word.trim();
  if (AM_WORDS.includes(w)) return "am";
  if (PM_WORDS.includes(w)) return "pm";
  return null;
}

/** Parses a header line, or returns null for a continuation line. Dates are not validated here. */
export function parseHeader(line: string): ParsedHeader | null {
  const sc = new Scanner(line);
  while (isLeadingMark(sc.code())) sc.pos++;
  const bracketed = sc.code() === 0x5b;
  if (bracketed) sc.pos++;
  // Most continuation lines fail here, on their first character.
  if (!isDigit(sc.code())) return null;

  const dateStart = sc.pos;
  sc.number(5);
  const p0 = sc.value;
  const d0 = sc.digits;
  const sep = sc.code();
  if (sep !== 0x2f && sep !== 0x2e && sep !== 0x2d) return null;
  sc.pos++;
  sc.optionalSpace();
  if (!sc.number(5)) return null;
  const p1 = sc.value;
  const d1 = sc.digits;
  if (sc.code() !== sep) return null;
  sc.pos++;
  sc.optionalSpace();
  if (!sc.number(5)) return null;
  const p2 = sc.value;
  const d2 = sc.digits;
  const dateEnd = sc.pos;
  sc.optional(0x2e);
  sc.optional(0x2c);
  if (!isSpace(sc.code())) return null;
  sc.pos++;

  // Up to 12 locale-word characters before the time.
  const wordStart = sc.pos;
  while (sc.pos < line.length && !isDigit(sc.code())) {
    const c = sc.code();
    if (c === 0x5b || c === 0x5d || sc.pos - wordStart >= 12) return null;
    sc.pos++;
  }
  const wordEnd = sc.pos;

  if (!sc.number(2)) return null;
  const hour = sc.value;
  const timeSep = sc.code();
  if (timeSep !== 0x3a && timeSep !== 0x2e) return null;
  sc.pos++;
  if (!sc.number(2) || sc.digits !== 2) return null;
  const minute = sc.value;
  let second = 0;
  let hasSeconds = false;
  const c = sc.code();
  if ((c === 0x3a || c === 0x2e) && isDigit(sc.code(sc.pos + 1)) && isDigit(sc.code(sc.pos + 2))) {
    second = (sc.code(sc.pos + 1) - 0x30) * 10 + (sc.code(sc.pos + 2) - 0x30);
    hasSeconds = true;
    sc.pos += 3;
  }

  const afterTime = sc.pos;
  sc.optionalSpace();
  let meridiem = sc.meridiem();
  if (meridiem === null) sc.pos = afterTime;

  // Terminator.
  const t = sc.code();
  if (t === 0x5d) {
    if (!bracketed) return null;
    sc.pos++;
    sc.optionalSpace();
  } else if (bracketed) {
    return null;
  } else if (isSpace(t) && sc.code(sc.pos + 1) === 0x2d && (sc.pos + 2 >= line.length || isSpace(sc.code(sc.pos + 2)))) {
    sc.pos = Math.min(sc.pos + 3, line.length);
  } else if ((t === 0x3a || t === 0x3b) && isSpace(sc.code(sc.pos + 1))) {
    sc.pos += 2;
  } else {
    return null;
  }

  const lengths = [d0, d1, d2];
  let yearIndex: 0 | 1 | 2 = 2;
  let long = 0;
  for (let i = 0; i < 3; i++) {
    const len = lengths[i] as number;
    if (len === 3 || len === 5) return null;
    if (len === 4) {
      long++;
      yearIndex = i as 0 | 1 | 2;
    }
  }
  if (long > 1) return null;
  const yearDigits: 2 | 4 = long === 1 ? 4 : 2;
  if (meridiem === null && wordEnd > wordStart) meridiem = meridiemWord(line.slice(wordStart, wordEnd));
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
    body: line.slice(sc.pos),
    line,
    dateStart,
    dateEnd,
  };
}
