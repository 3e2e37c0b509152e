/**
 * Whether a model says something different each time, and whether it stops by itself: a clone that answers
 * "ок" to everything, or rambles until the token limit cuts it, can still look right on average.
 */

/** A reply as compared for sameness: Unicode NFKC, trimmed, case-folded, runs of whitespace as one space. */
export function normaliseReply(text: string): string {
  return text.normalize("NFKC").trim().toLowerCase().replace(/\s+/gu, " ");
}

/** Distinct normalised replies / replies, in (0, 1]; 0 for no replies. */
export function distinctReplyRatio(replies: readonly string[]): number {
  if (replies.length === 0) return 0;
  return new Set(replies.map(normaliseReply)).size / replies.length;
}

/** Share of generations cut by the token limit (finishReason "length"); 0 for none. */
export function hitLimitShare(replies: readonly { finishReason: string }[]): number {
  if (replies.length === 0) return 0;
  return replies.filter((r) => r.finishReason === "length").length / replies.length;
}
