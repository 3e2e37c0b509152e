import { type ExpectedRevision, WrongExpectedRevisionError } from "./eventStore.js";

/** The stream's last revision as an adapter sees it before writing. */
export type CurrentRevision = number | "no_stream";

export function isExpectedRevision(value: unknown): value is ExpectedRevision {
  return value === "any" || value === "no_stream" || (Number.isSafeInteger(value) && (value as number) >= 0);
}

/** Throws the port's conflict error unless `actual` satisfies `expected`; shared so every adapter agrees on the rules. */
export function assertExpectedRevision(
  streamId: string,
  expected: ExpectedRevision,
  actual: CurrentRevision,
): void {
  if (expected === "any") return;
  if (expected === actual) return;
  throw new WrongExpectedRevisionError(streamId, expected, actual);
}

/** The `nextRevision` reported for a stream that has no events yet (an empty append to a missing stream). */
export const NO_STREAM_REVISION = -1;
