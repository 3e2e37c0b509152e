/** How long a crashed plugin waits before its next start: 1 s, 2 s, 4 s, … capped, forgiven after a good run. */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** A plugin that ran this long before failing starts over at `initialMs`. */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1000, maxMs: 60_000, resetAfterMs: 5 * 60_000 };

/** Delay before restart number `failures` (1 for the first failure in a row). */
export const backoffDelay = (policy: BackoffPolicy, failures: number) =>
  Math.min(policy.maxMs, policy.initialMs * 2 ** Math.max(0, failures - 1));
