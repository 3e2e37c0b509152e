/**
 * The one rule for artifact keys, shared by every adapter so that a key one engine accepts is never
 * refused by another. Keys are `/`-separated segments of letters, digits, `.`, `_` and `-`: safe as
 * relative file paths (no traversal, nothing absolute, no characters a file system mangles) and as S3
 * object keys without encoding. Segments `.` and `..` are refused because file systems and URL
 * normalisation would collapse them.
 */
import { InvalidArtifactKeyError } from "./artifactStore.js";

export const MAX_ARTIFACT_KEY_LENGTH = 1024;
const SEGMENT = /^[A-Za-z0-9._-]+$/;
/** What may follow the last `/` of a prefix: part of a segment, or nothing. */
const PARTIAL_SEGMENT = /^[A-Za-z0-9._-]*$/;

function isWholeSegment(segment: string): boolean {
  return SEGMENT.test(segment) && segment !== "." && segment !== "..";
}

export function isValidArtifactKey(key: unknown): key is string {
  return (
    typeof key === "string" &&
    key.length > 0 &&
    key.length <= MAX_ARTIFACT_KEY_LENGTH &&
    key.split("/").every(isWholeSegment)
  );
}

export function validateArtifactKey(key: unknown): string {
  if (!isValidArtifactKey(key)) throw new InvalidArtifactKeyError(String(key));
  return key;
}

/**
 * A prefix for `list` and `deletePrefix`, matched as plain text like S3 does (`a/b` covers `a/b/c`
 * and `a/bc`). Every segment but the last must be a whole segment; the last may be partial or empty.
 * The empty prefix (everything) is only accepted where `allowEmpty` says so, so that a bug cannot
 * turn `deletePrefix` into "delete every artifact".
 */
export function validateArtifactPrefix(prefix: unknown, options: { allowEmpty: boolean }): string {
  if (typeof prefix !== "string" || prefix.length > MAX_ARTIFACT_KEY_LENGTH) {
    throw new InvalidArtifactKeyError(String(prefix));
  }
  if (prefix === "") {
    if (options.allowEmpty) return prefix;
    throw new InvalidArtifactKeyError(prefix);
  }
  const segments = prefix.split("/");
  const last = segments.pop() ?? "";
  if (!segments.every(isWholeSegment) || !PARTIAL_SEGMENT.test(last))
    throw new InvalidArtifactKeyError(prefix);
  return prefix;
}
