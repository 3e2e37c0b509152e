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
 * and millions of lines, so the common case is one `startsWith` per known author instead of slicing, hashing and
 * normalizing the name again. Bounded so that a pathological file cannot grow it without limit.
 */
export class KnownAuthors {
  private readonly written = new Map<string, string>();
  private readonly names = new Set<string>();
  /** The most recent distinct written forms, checked by prefix before anything is sliced. */
  private readonly recent: string[] = [];
  private readonly recentNames: string[] = [];
  constructor(private readonly max = 10_000) {}

  /**
   * The index in `recent` of a known author that `body` starts with, followed by `: `. Equivalent to the
   * first-`: ` rule because no stored form contains `: ` (every rule below cuts at the first one).
   */
  matchRecent(body: string): number {
    for (let i = 0; i < this.recent.length; i++) {
      const r = this.recent[i] as string;
      if (body.charCodeAt(r.length) === 0x3a && body.charCodeAt(r.length + 1) === 0x20 && body.startsWith(r))
        return i;
    }
    return -1;
  }

  recentAt(i: number): { written: string; name: string } {
    return { written: this.recent[i] as string, name: this.recentNames[i] as string };
  }

  /** The normalized name of a plausible author candidate, or null. */
  normalize(candidate: string): string | null {
    const cached = this.written.get(candidate);
    if (cached !== undefined) return cached;
    if (candidate.length === 0 || candidate.length > MAX_AUTHOR_CHARS || QUOTES.test(candidate)) return null;
    const name = normalizeAuthor(candidate);
    return name === "" ? null : name;
  }

  add(candidate: string, name: string): void {
    if (this.written.has(candidate) || this.written.size >= this.max) return;
    this.written.set(candidate, name);
    this.names.add(name);
    if (this.recent.length < RECENT_AUTHORS) {
      this.recent.push(candidate);
      this.recentNames.push(name);
    }
  }

  has(name: string): boolean {
    return this.names.has(name);
  }
}

/** Enough for nearly every chat; larger groups fall back to the general path for their later authors. */
const RECENT_AUTHORS = 16;

export function splitAuthor(body: string, known: KnownAuthors): SplitBody {
  const hit = known.matchRecent(body);
  if (hit !== -1) {
    const { written, name } = known.recentAt(hit);
    return { author: name, text: body.slice(written.length + 2) };
  }
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
