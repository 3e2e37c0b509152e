/**
 * The blind test's score for one adapter version: how often the owner picked their own reply over the
 * clone's. "Can't tell" counts half. 50 % means the owner could not tell the two apart.
 */
export interface BlindTestTally {
  realPicked: number;
  clonePicked: number;
  cantTell: number;
}

export interface BlindTestScore {
  /** Answers counted. */
  n: number;
  /** Share of answers that picked the real reply (can't tell counts half); null with no answers. */
  pickedReal: number | null;
  /** 95 % Wilson score interval of that share; null with no answers. */
  low: number | null;
  high: number | null;
}

const Z95 = 1.959963984540054;

/** The Wilson score interval of a share `p` out of `n` (n > 0), clamped to [0, 1]. */
export function wilsonInterval(p: number, n: number, z = Z95): { low: number; high: number } {
  if (!(n > 0)) throw new RangeError("n must be positive");
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export function blindTestScore(tally: BlindTestTally): BlindTestScore {
  const n = tally.realPicked + tally.clonePicked + tally.cantTell;
  if (n === 0) return { n, pickedReal: null, low: null, high: null };
  const pickedReal = (tally.realPicked + tally.cantTell / 2) / n;
  return { n, pickedReal, ...wilsonInterval(pickedReal, n) };
}
