/**
 * Bounds on what an uploaded archive may unpack to. Headers are only trusted to refuse early; while reading,
 * the inflated bytes themselves are counted against the same bounds.
 */
export interface ArchiveLimits {
  /** Highest inflated/compressed ratio for an entry bigger than `ratioMinBytes` (zip bombs compress ~1000:1). */
  maxRatio: number;
  /** Small entries may compress well (a run of spaces); the ratio only counts above this size. */
  ratioMinBytes: number;
  /** Sum of the declared inflated sizes of the accepted entries. */
  maxTotalBytes: number;
  maxEntries: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxRatio: 200,
  ratioMinBytes: 1024 * 1024,
  maxTotalBytes: 20 * 1024 ** 3,
  maxEntries: 100_000,
};
