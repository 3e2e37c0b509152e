const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const pictographic = /\p{Extended_Pictographic}/u;

/** Emoji as the reader sees them: a ZWJ family or a flagged skin tone is one emoji, not several code points. */
export function countEmoji(text: string): number {
  if (!pictographic.test(text)) return 0;
  let count = 0;
  for (const { segment } of segmenter.segment(text)) if (pictographic.test(segment)) count++;
  return count;
}
