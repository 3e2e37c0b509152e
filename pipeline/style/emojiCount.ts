const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const pictographic = /\p{Extended_Pictographic}/u;
const everyPictographic = /\p{Extended_Pictographic}/gu;

/** The pictographic code points from `from` on. */
function countPictographic(text: string, from: number): number {
  let count = 0;
  everyPictographic.lastIndex = from;
  while (everyPictographic.exec(text) !== null) count++;
  return count;
}

/**
 * Characters whose grapheme-break property is Other (printable ASCII, basic Cyrillic letters): between two
 * of them there is always a grapheme boundary (rule GB999), so segmenting may start there.
 */
function plain(code: number): boolean {
  return (code >= 0x20 && code <= 0x7e) || (code >= 0x400 && code <= 0x45f);
}

/** Emoji as the reader sees them: a ZWJ family or a flagged skin tone is one emoji, not several code points. */
export function countEmoji(text: string): number {
  const first = pictographic.exec(text);
  if (first === null) return 0;
  // Without a ZWJ after the first pictographic character, each one is a grapheme of its own: only a ZWJ
  // joins two of them (GB11); Extend, SpacingMark and Prepend (GB9–9b) never take a pictographic one in.
  if (text.indexOf("\u200d", first.index) < 0) return countPictographic(text, first.index);
  // Nothing before the first pictographic character counts: segment from the last sure boundary before it.
  let start = first.index;
  while (start > 0 && !(plain(text.charCodeAt(start - 1)) && plain(text.charCodeAt(start)))) start--;
  let count = 0;
  for (const { segment } of segmenter.segment(start > 0 ? text.slice(start) : text))
    if (pictographic.test(segment)) count++;
  return count;
}
