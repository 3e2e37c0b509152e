import type { ReadStreamOptions } from "./eventStore.js";

export interface ReadStreamRange {
  fromRevision: number;
  /** `Number.MAX_SAFE_INTEGER` when the caller set no limit. */
  maxCount: number;
}

/** Checks `readStream` options at the call, not at first iteration, so a bad range fails where it was written. */
export function validateReadStreamOptions(streamId: string, options: ReadStreamOptions): ReadStreamRange {
  const { fromRevision = 0, maxCount = Number.MAX_SAFE_INTEGER } = options;
  if (!Number.isSafeInteger(fromRevision) || fromRevision < 0) {
    throw new TypeError(
      `readStream ${streamId}: fromRevision must be a non-negative integer, got ${fromRevision}`,
    );
  }
  if (!Number.isSafeInteger(maxCount) || maxCount < 0) {
    throw new TypeError(`readStream ${streamId}: maxCount must be a non-negative integer, got ${maxCount}`);
  }
  return { fromRevision, maxCount };
}
