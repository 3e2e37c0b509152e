/**
 * Splits a reply into messages no longer than the channel's limit, cutting at the most natural
 * boundary that still leaves a reasonably long piece: paragraph, line, sentence, word, else anywhere
 * (never inside a surrogate pair). Lengths are UTF-16 code units, which never undercounts the limit.
 */
const BOUNDARIES: RegExp[] = [
  /\n[ \t]*\n\s*/g, // paragraph
  /\n\s*/g, // line
  /[.!?…]+["'»”)\]]*\s+/g, // sentence end
  /\s+/g, // word
];

/** Where the piece ends and the rest begins, for the best boundary in `window`. */
function bestCut(window: string, limit: number): { end: number; next: number } | null {
  let fallback: { end: number; next: number } | null = null;
  for (const boundary of BOUNDARIES) {
    let last: { end: number; next: number } | null = null;
    for (const match of window.matchAll(boundary)) {
      // A sentence end keeps its punctuation; the whitespace after any boundary is dropped.
      const end = match.index + match[0].trimEnd().length;
      if (end > 0 && end <= limit) last = { end, next: match.index + match[0].length };
    }
    if (last && last.end >= limit / 2) return last;
    if (last && (!fallback || last.end > fallback.end)) fallback = last;
  }
  return fallback;
}

export function splitMessage(text: string, limit: number): string[] {
  if (!Number.isInteger(limit) || limit < 2)
    throw new RangeError(`limit must be an integer ≥ 2, got ${limit}`);
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    // One character past the limit, so a boundary right after the last fitting character is seen.
    const cut = bestCut(rest.slice(0, limit + 1), limit);
    let end = cut?.end ?? limit;
    let next = cut?.next ?? limit;
    if (!cut && /[\uD800-\uDBFF]/.test(rest.charAt(end - 1))) {
      end -= 1;
      next -= 1;
    }
    const piece = rest.slice(0, end).trimEnd();
    if (piece) pieces.push(piece);
    rest = rest.slice(next).trimStart();
  }
  if (rest) pieces.push(rest);
  return pieces;
}
