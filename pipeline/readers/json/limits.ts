/**
 * Every bound the streaming JSON readers (Telegram, Discord) put on an export file, declared once. Where the
 * two readers had different bounds for the same thing, the stricter one is kept (docs/architecture/engines.md).
 *
 * Bounds in characters (UTF-16 units) bound memory: they are checked on decoded text and assembled values.
 * Bounds in bytes bound the file span a reader accepts before it refuses the whole file; they are checked
 * at chunk boundaries, so they trip at most one chunk late. What a reader does when a bound trips (skip the
 * message, fail the file) is its own policy; the bound itself is this constant.
 */
export interface JsonLimits {
  /**
   * Longest key, string or number kept whole. A longer one (a hostile file: one 2 GB string on one line) is
   * cut to this length as it streams, so memory stays bounded and V8's string limit is never reached; its
   * token still arrives, long enough for the assembler to refuse the record it sits in (maxRecordChars is
   * smaller), so a cut value never reaches a record.
   */
  readonly maxValueChars: number;
  /** Longest key, string or number, in bytes of the file, for a reader that refuses an oversized value. */
  readonly maxValueBytes: number;
  /** Deepest nesting of one assembled record (a message, a channel); a real message is about 5 deep. */
  readonly maxRecordDepth: number;
  /** Characters of the keys, strings and numbers of one assembled record. */
  readonly maxRecordChars: number;
  /** Bytes of the file one record may span, for a reader that refuses an oversized record. */
  readonly maxRecordBytes: number;
  /** Deepest nesting of the small account object (Telegram's personal_information). */
  readonly maxAccountDepth: number;
  /** Characters of the account object. */
  readonly maxAccountChars: number;
  /**
   * Deepest nesting a walker follows anywhere in the document, skipped parts included: deep enough for
   * anything JSON-shaped that is real, small enough that the tokenizer's stack stays tiny.
   */
  readonly maxDocumentDepth: number;
}

export const JSON_LIMITS: JsonLimits = Object.freeze({
  // Telegram cut values at 4 Mi characters; Discord let stream-json pack up to 64 MiB: 4 Mi for both.
  maxValueChars: 4 * 1024 * 1024,
  maxValueBytes: 4 * 1024 * 1024,
  // Both readers: 64.
  maxRecordDepth: 64,
  // Telegram: 1 000 000 characters per message; Discord had only a 64 MiB file span per record.
  maxRecordChars: 1_000_000,
  maxRecordBytes: 4 * 1024 * 1024,
  maxAccountDepth: 16,
  maxAccountChars: 100_000,
  maxDocumentDepth: 1_000_000,
});

/** The bounds one assembled value is held to. */
export interface AssemblyLimits {
  maxDepth: number;
  maxChars: number;
}

export const RECORD_LIMITS: AssemblyLimits = Object.freeze({
  maxDepth: JSON_LIMITS.maxRecordDepth,
  maxChars: JSON_LIMITS.maxRecordChars,
});

export const ACCOUNT_LIMITS: AssemblyLimits = Object.freeze({
  maxDepth: JSON_LIMITS.maxAccountDepth,
  maxChars: JSON_LIMITS.maxAccountChars,
});
