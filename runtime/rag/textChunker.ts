/**
 * Splits text into retrieval chunks: paragraphs first, then lines, sentences and words, packed greedily up to
 * `maxChars`, each chunk repeating the last ~`overlapChars` of the one before so a passage cut at a boundary
 * still carries its context. Cuts happen only at whitespace; a single "word" longer than a chunk (a URL, a
 * base64 blob) is the one thing cut in the middle.
 */

export interface ChunkingOptions {
  maxChars: number;
  overlapChars: number;
}

export const DEFAULT_CHUNKING: ChunkingOptions = { maxChars: 800, overlapChars: 100 };

/** A run of text with one citation locator (a PDF page, a Markdown section). */
export interface TextSection {
  text: string;
  locator?: string;
}

/** One piece of text and the separator that stood before it in the source. */
interface Unit {
  text: string;
  separator: string;
}

/** Coarse to fine: paragraph break, line break, sentence end, space. */
const LEVELS: { split: (text: string) => string[]; separator: string }[] = [
  { split: (text) => text.split("\n\n"), separator: "\n\n" },
  { split: (text) => text.split("\n"), separator: "\n" },
  { split: (text) => text.split(/(?<=[.!?…;])\s+/u), separator: " " },
  { split: (text) => text.split(" "), separator: " " },
];

function validated(options: Partial<ChunkingOptions>): ChunkingOptions {
  const { maxChars, overlapChars } = { ...DEFAULT_CHUNKING, ...options };
  if (!Number.isInteger(maxChars) || maxChars < 20) {
    throw new RangeError(`chunking.maxChars must be an integer of at least 20, got ${maxChars}`);
  }
  if (!Number.isInteger(overlapChars) || overlapChars < 0 || overlapChars >= maxChars) {
    throw new RangeError(
      `chunking.overlapChars must be an integer from 0 to maxChars - 1 (${maxChars - 1}), got ${overlapChars}`,
    );
  }
  return { maxChars, overlapChars };
}

/** Unifies line ends and runs of spaces, so the same content always chunks the same way. */
export function normaliseWhitespace(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.replace(/[^\S\n]+/gu, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function units(text: string, separator: string, level: number, maxChars: number): Unit[] {
  if (text.length <= maxChars) return [{ text, separator }];
  const rule = LEVELS[level];
  if (rule === undefined) {
    // A word longer than a chunk: cut it, with nothing between the pieces.
    const pieces: Unit[] = [];
    for (let at = 0; at < text.length; at += maxChars) {
      pieces.push({ text: text.slice(at, at + maxChars), separator: at === 0 ? separator : "" });
    }
    return pieces;
  }
  const parts = rule.split(text).filter((part) => part.length > 0);
  if (parts.length <= 1) return units(text, separator, level + 1, maxChars);
  return parts.flatMap((part, i) => units(part, i === 0 ? separator : rule.separator, level + 1, maxChars));
}

/** The end of a chunk that the next one repeats: at most `overlapChars`, starting at a word. */
function overlapTail(chunk: string, overlapChars: number): string {
  if (overlapChars === 0) return "";
  let start = Math.max(0, chunk.length - overlapChars);
  if (start > 0 && !/\s/u.test(chunk[start - 1] as string)) {
    const nextSpace = chunk.slice(start).search(/\s/u);
    if (nextSpace < 0) return "";
    start += nextSpace + 1;
  }
  return chunk.slice(start).trimStart();
}

export function chunkText(text: string, options: Partial<ChunkingOptions> = {}): string[] {
  const { maxChars, overlapChars } = validated(options);
  const normalised = normaliseWhitespace(text);
  if (normalised === "") return [];
  const chunks: string[] = [];
  let current = "";
  for (const unit of units(normalised, "", 0, maxChars)) {
    if (current === "") {
      current = unit.text;
      continue;
    }
    const joined = current + unit.separator + unit.text;
    if (joined.length <= maxChars) {
      current = joined;
      continue;
    }
    chunks.push(current);
    const tail = overlapTail(current, overlapChars);
    const withTail = tail + unit.separator + unit.text;
    current = tail !== "" && withTail.length <= maxChars ? withTail : unit.text;
  }
  chunks.push(current);
  return chunks;
}

/** Chunks each section apart, so a chunk's locator (page, heading) is true for all of its text. */
export function chunkSections(
  sections: TextSection[],
  options: Partial<ChunkingOptions> = {},
): TextSection[] {
  return sections.flatMap(({ text, locator }) =>
    chunkText(text, options).map((chunk) =>
      locator === undefined ? { text: chunk } : { text: chunk, locator },
    ),
  );
}
