/**
 * The style of a set of replies, in the spirit of the trainer's `style_profile` (metrics.py), and how far
 * one set's style is from the owner's. Lengths are in Unicode code points of the reply with surrounding
 * whitespace trimmed; a reply made only of whitespace is empty.
 */

/**
 * How a reply ends, judged on its last character after trimming:
 * - `exclamation` "!" (so "?!" too), `question` "?", `period` a single ".",
 * - `ellipsis` "…" or "...",
 * - `emoji` an emoji, or a chat smiley made of brackets (")", "))", "((" — not a bracket that closes "(…)"),
 * - `other` anything else (a letter, a digit, another sign),
 * - `empty` nothing at all (a generated reply can be empty).
 */
export type ReplyEnding = "exclamation" | "question" | "period" | "ellipsis" | "emoji" | "other" | "empty";
export const REPLY_ENDINGS: readonly ReplyEnding[] = [
  "exclamation",
  "question",
  "period",
  "ellipsis",
  "emoji",
  "other",
  "empty",
];

export interface ReplyStyle {
  /** Number of replies. */
  count: number;
  /** Median length in code points; null for no replies. */
  medianLength: number | null;
  /** Share, among replies whose first letter is cased, that start with a lowercase letter; null when none is. */
  lowercaseStartShare: number | null;
  /** Share of replies by how they end (see ReplyEnding); the shares sum to 1, or are all 0 for no replies. */
  endings: Record<ReplyEnding, number>;
  /** Share of replies with at least one comma. */
  commaShare: number;
  /** Share of replies with at least one emoji. */
  emojiShare: number;
  /** Emoji per 100 code points over all replies together. */
  emojiPer100Chars: number;
}

const pictographic = /\p{Extended_Pictographic}/u;
const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

/** Emoji as the reader sees them: a ZWJ family or a skin-toned hand is one. */
export function countEmoji(text: string): number {
  if (!pictographic.test(text)) return 0;
  let count = 0;
  for (const { segment } of graphemes.segment(text)) if (pictographic.test(segment)) count++;
  return count;
}

export function replyEnding(reply: string): ReplyEnding {
  const text = reply.trim();
  if (text.length === 0) return "empty";
  if (text.endsWith("…") || text.endsWith("...")) return "ellipsis";
  const last = text.at(-1)!;
  if (last === "!") return "exclamation";
  if (last === "?") return "question";
  if (last === ".") return "period";
  if (/[)(]$/.test(text) && !/\([^()]*\)$/.test(text)) return "emoji";
  let lastGrapheme = "";
  for (const { segment } of graphemes.segment(text.slice(-16))) lastGrapheme = segment;
  if (pictographic.test(lastGrapheme)) return "emoji";
  return "other";
}

/** Whether the first letter is lowercase; null when the reply has no cased first letter. */
function startsLowercase(reply: string): boolean | null {
  const first = /\p{L}/u.exec(reply)?.[0];
  if (first === undefined) return null;
  if (/\p{Ll}/u.test(first)) return true;
  if (/\p{Lu}|\p{Lt}/u.test(first)) return false;
  return null;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function replyStyle(replies: readonly string[]): ReplyStyle {
  const endings = Object.fromEntries(REPLY_ENDINGS.map((e) => [e, 0])) as Record<ReplyEnding, number>;
  const n = replies.length;
  const lengths: number[] = [];
  let lowercase = 0;
  let cased = 0;
  let commas = 0;
  let withEmoji = 0;
  let emoji = 0;
  let chars = 0;
  for (const reply of replies) {
    const text = reply.trim();
    const length = Array.from(text).length;
    lengths.push(length);
    chars += length;
    const start = startsLowercase(text);
    if (start !== null) {
      cased++;
      if (start) lowercase++;
    }
    if (text.includes(",")) commas++;
    const e = countEmoji(text);
    emoji += e;
    if (e > 0) withEmoji++;
    endings[replyEnding(text)]++;
  }
  if (n > 0) for (const e of REPLY_ENDINGS) endings[e] /= n;
  return {
    count: n,
    medianLength: median(lengths),
    lowercaseStartShare: cased > 0 ? lowercase / cased : null,
    endings,
    commaShare: n > 0 ? commas / n : 0,
    emojiShare: n > 0 ? withEmoji / n : 0,
    emojiPer100Chars: chars > 0 ? (100 * emoji) / chars : 0,
  };
}

/**
 * The features styleDistance averages, each a distance in [0, 1] (0: the same habit):
 * - `length`: |log₂((a + 1) / (b + 1))| / 2 of the median lengths, clipped to 1 (twice as long or short
 *   is 0.5, four times or more is 1; the +1 keeps empty replies finite);
 * - `lowercaseStart`: |a − b| of the lowercase-start shares, left out when either side has no cased start;
 * - `endings`: total variation distance ½·Σ|a − b| between the two ending distributions (all seven kinds);
 * - `comma`: |a − b| of the shares of replies with a comma;
 * - `emoji`: |a − b| of the shares of replies with an emoji.
 * Emoji per 100 chars is shown but not compared: it has no natural upper bound to normalise by, and the
 * share of replies with an emoji carries the same habit.
 */
export interface StyleDistanceParts {
  length: number;
  lowercaseStart: number | null;
  endings: number;
  comma: number;
  emoji: number;
}

/** The per-feature distances between two styles; null when either has no replies. */
export function styleDistanceParts(style: ReplyStyle, reference: ReplyStyle): StyleDistanceParts | null {
  if (style.count === 0 || reference.count === 0) return null;
  const lengthRatio = Math.log2(((style.medianLength ?? 0) + 1) / ((reference.medianLength ?? 0) + 1));
  return {
    length: Math.min(1, Math.abs(lengthRatio) / 2),
    lowercaseStart:
      style.lowercaseStartShare === null || reference.lowercaseStartShare === null
        ? null
        : Math.abs(style.lowercaseStartShare - reference.lowercaseStartShare),
    endings: REPLY_ENDINGS.reduce((sum, e) => sum + Math.abs(style.endings[e] - reference.endings[e]), 0) / 2,
    comma: Math.abs(style.commaShare - reference.commaShare),
    emoji: Math.abs(style.emojiShare - reference.emojiShare),
  };
}

/**
 * How far `style` is from `reference` (the owner's): the mean of the StyleDistanceParts present, in [0, 1];
 * 0 for the same habits. Null when either side has no replies.
 */
export function styleDistance(style: ReplyStyle, reference: ReplyStyle): number | null {
  const parts = styleDistanceParts(style, reference);
  if (!parts) return null;
  const present = Object.values(parts).filter((v): v is number => v !== null);
  return present.reduce((sum, v) => sum + v, 0) / present.length;
}
