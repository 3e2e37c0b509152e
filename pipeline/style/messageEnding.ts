export type Ending = "period" | "exclamation" | "question" | "ellipsis" | "smiley" | "none" | "other";

/** How a message ends: the punctuation habit a clone should copy. Trailing spaces are ignored. */
export function messageEnding(text: string): Ending {
  const trimmed = text.trimEnd();
  if (trimmed.endsWith("…") || trimmed.endsWith("...")) return "ellipsis";
  // ")" / "((" after a word is the Russian chat smiley, not a closing bracket.
  if (/[)(]$/.test(trimmed) && !/\([^()]*\)$/.test(trimmed)) return "smiley";
  const last = trimmed.at(-1);
  if (last === undefined) return "none";
  if (last === ".") return "period";
  if (last === "!") return "exclamation";
  if (last === "?") return "question";
  if (/[\p{L}\p{N}]/u.test(last) || last === ")") return "none";
  return "other";
}
