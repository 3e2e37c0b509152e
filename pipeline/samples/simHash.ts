/** A 64-bit SimHash as two unsigned 32-bit halves (BigInt would be ten times slower on this path). */
export interface Fingerprint {
  hi: number;
  lo: number;
}

const shingleLength = 5;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * SimHash over character 5-shingles: texts that share most shingles get fingerprints a few bits apart,
 * so near-duplicates (a typo, an extra smiley, a re-sent line) are found by Hamming distance.
 *
 * Bit b of the result is set when more than half of the shingles' hashes have bit b set (the ±1 weight
 * of each bit summed over the shingles is positive). The per-bit counts are kept bit-sliced: plane k holds
 * bit k of all 32 counters of one half, so adding a hash is a ripple-carry add of one word (about two
 * steps on average) instead of 64 separate counter updates.
 */
export function simHash(text: string): Fingerprint {
  const count = Math.max(1, text.length - shingleLength + 1);
  const planes = 33 - Math.clz32(count);
  const loPlanes = planes <= scratchPlanes ? loScratch.fill(0, 0, planes) : new Int32Array(planes);
  const hiPlanes = planes <= scratchPlanes ? hiScratch.fill(0, 0, planes) : new Int32Array(planes);
  if (text.length < shingleLength) {
    // One short shingle: the whole text.
    let h = 0x811c9dc5;
    for (let j = 0; j < text.length; j++) h = Math.imul(h ^ text.charCodeAt(j), 0x01000193);
    addToPlanes(loPlanes, fmix32(h));
    addToPlanes(hiPlanes, fmix32(h ^ 0x9e3779b9));
  } else {
    // Full 5-shingles over a sliding window of code units: each unit is read once, not five times.
    let c1 = text.charCodeAt(0);
    let c2 = text.charCodeAt(1);
    let c3 = text.charCodeAt(2);
    let c4 = text.charCodeAt(3);
    for (let i = 0; i < count; i++) {
      const c5 = text.charCodeAt(i + 4);
      let h = Math.imul(0x811c9dc5 ^ c1, 0x01000193);
      h = Math.imul(h ^ c2, 0x01000193);
      h = Math.imul(h ^ c3, 0x01000193);
      h = Math.imul(h ^ c4, 0x01000193);
      h = Math.imul(h ^ c5, 0x01000193);
      addToPlanes(loPlanes, fmix32(h));
      addToPlanes(hiPlanes, fmix32(h ^ 0x9e3779b9));
      c1 = c2;
      c2 = c3;
      c3 = c4;
      c4 = c5;
    }
  }
  return { hi: majorityBits(hiPlanes, planes, count), lo: majorityBits(loPlanes, planes, count) };
}

/** Planes enough for texts up to 2^24 code units: one pair of arrays reused by every call up to that. */
const scratchPlanes = 25;
const loScratch = new Int32Array(scratchPlanes);
const hiScratch = new Int32Array(scratchPlanes);

/** Adds one 32-bit word to 32 bit-sliced counters (ripple carry over the planes). */
function addToPlanes(planes: Int32Array, word: number): void {
  let carry = word | 0;
  for (let k = 0; carry !== 0; k++) {
    const plane = planes[k]!;
    planes[k] = plane ^ carry;
    carry &= plane;
  }
}

/**
 * The word whose bit b is set where counter b (the number of words with bit b set) exceeds half of `of`:
 * all 32 counters compared at once with floor(of / 2), from the top plane down (bit-sliced comparison).
 */
function majorityBits(planes: Int32Array, used: number, of: number): number {
  const half = Math.floor(of / 2);
  let greater = 0;
  let equal = -1;
  for (let k = used - 1; k >= 0; k--) {
    const plane = planes[k]!;
    if ((half >>> k) & 1) equal &= plane;
    else {
      greater |= equal & plane;
      equal &= ~plane;
    }
  }
  return greater >>> 0;
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

export function hammingDistance(a: Fingerprint, b: Fingerprint): number {
  return popcount32((a.hi ^ b.hi) >>> 0) + popcount32((a.lo ^ b.lo) >>> 0);
}
