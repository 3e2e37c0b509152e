import { normalizeAuthor } from "./invisibleChars.js";

/**
 * Splits `Author: text` from a header body; a body without an author separator is a system line. Names may
 * contain `:` and texts usually do, so the *first* `: ` separates them (a name containing `: ` is rarer than a
 * text containing one). Two refinements from the corpus:
 * - `John Doe:.` (no space after the colon) is accepted only when `John Doe` already wrote with a proper `: `,
 *   so that system lines like `… changed the subject to:x` do not invent authors;
 * - a candidate with a double quote is a quoted group name in a system line (`Ann created group "A: B"`).
 */
export interface SplitBody {
  author: string | null;
  text: string;
}

const MAX_AUTHOR_CHARS = 100;
const QUOTES = /["“”„«»]/;

/**
 * Authors seen so far in one chat, as written → normalized. Doubles as a cache: a chat has a handful of authors
 * and millions of lines. Bounded so that a pathological file cannot grow it without limit.
 */
export class KnownAuthors {
  private readonly written = new Map<string, string>();
  private readonly names = new Set<string>();
  constructor(private readonly max = 10_000) {}

  /** The normalized name of a plausible author candidate, or null. */
  normalize(candidate: string): string | null {
    const cached = this.written.get(candidate);
    if (cached !== undefined) return cached;
    if (candidate.length === 0 || candidate.length > MAX_AUTHOR_CHARS || QUOTES.test(candidate)) return null;
    const name = normalizeAuthor(candidate);
    return name === "" ? null : name;
  }

  add(candidate: string, name: string): void {
    if (this.written.size < this.max && !this.written.has(candidate)) {
      this.written.set(candidate, name);
      this.names.add(name);
    }
  }

  has(name: string): boolean {
    return this.names.has(name);
  }
}

export function splitAuthor(body: string, known: KnownAuthors): SplitBody {
  const sep = body.indexOf(": ");
  if (sep !== -1) {
    const candidate = body.slice(0, sep);
    const author = known.normalize(candidate);
    if (author !== null) {
      known.add(candidate, author);
      return { author, text: body.slice(sep + 2) };
    }
    return { author: null, text: body };
  }
  // `Ann:` at the end of the line: the text starts on the next line.
  if (body.endsWith(":")) {
    const candidate = body.slice(0, -1);
    const author = known.normalize(candidate);
    if (author !== null) {
      known.add(candidate, author);
      return { author, text: "" };
    }
  }
  const colon = body.indexOf(":");
  if (colon !== -1) {
    const author = known.normalize(body.slice(0, colon));
    if (author !== null && known.has(author)) return { author, text: body.slice(colon + 1) };
  }
  return { author: null, text: body };
}
