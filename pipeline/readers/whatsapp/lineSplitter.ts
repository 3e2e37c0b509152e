import { isUtf8 } from "node:buffer";
import type { Readable } from "node:stream";

/**
 * Splits a byte stream into text lines without holding more than one chunk plus one line in memory.
 *
 * Why our own splitter rather than readline: we need to know which lines were not valid UTF-8 (readline
 * decodes with silent replacement), to cap line length (a 50 MB line must not become a 50 MB string), and to
 * decode whole runs of complete lines at once, which is several times faster than decoding line by line.
 * A line break byte (0x0A) never occurs inside a multi-byte UTF-8 sequence, so cutting at the last newline of a
 * chunk always cuts between characters.
 */

export interface LineBatch {
  /** 1-based number of lines[0] in the file. */
  firstLine: number;
  /** Lines without their CR/LF; a leading BOM is removed from line 1. */
  lines: string[];
  /** Index in `lines` → why that line is unusable (invalid UTF-8, too long); its text is then partial. */
  problems: Map<number, string> | null;
  /** Bytes of input consumed so far, for progress and prefix bounds. */
  bytesRead: number;
  /**
   * False when no line of the batch has a direction mark: one scan per chunk lets the common Android file skip
   * the per-message stripping entirely.
   */
  marks: boolean;
}

/** NUL never occurs in a text export; a chunk containing one means we were handed a binary file. */
export class BinaryDataError extends Error {
  constructor(
    readonly line: number,
    readonly byteOffset: number,
  ) {
    super(`binary data (a NUL byte) at line ${line}, byte ${byteOffset}: not a text export`);
  }
}

export interface SplitOptions {
  /** Longer lines are reported as a problem with only their first 4 KiB kept (to tell if they are headers). */
  maxLineBytes: number;
  signal?: AbortSignal;
}

const LF = 0x0a;
const KEPT_HEAD_BYTES = 4096;

function countNewlines(buf: Buffer, end: number): number {
  let n = 0;
  for (let i = buf.indexOf(LF); i !== -1 && i < end; i = buf.indexOf(LF, i + 1)) n++;
  return n;
}

const HAS_DIRECTION_MARK = /[\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/;

class BatchBuilder {
  readonly lines: string[] = [];
  problems: Map<number, string> | null = null;
  marks = false;

  push(text: string, problem: string | null): void {
    if (problem !== null) {
      this.problems ??= new Map();
      this.problems.set(this.lines.length, problem);
    }
    this.lines.push(text);
  }
}

function stripCr(line: string): string {
  return line.length > 0 && line.charCodeAt(line.length - 1) === 0x0d ? line.slice(0, -1) : line;
}

/** Decodes `buf`, which holds whole lines separated by LF (no trailing LF), into the batch. */
function decodeLines(buf: Buffer, batch: BatchBuilder, maxLineBytes: number): void {
  if (isUtf8(buf)) {
    const text = buf.toString("utf8");
    batch.marks ||= HAS_DIRECTION_MARK.test(text);
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      const end = nl === -1 ? text.length : nl;
      // Counts UTF-16 units, never more than bytes: a bound within 3x of maxLineBytes, without re-encoding.
      if (end - start > maxLineBytes)
        batch.push(text.slice(start, start + KEPT_HEAD_BYTES), tooLong(maxLineBytes));
      else batch.push(stripCr(text.slice(start, end)), null);
      if (nl === -1) break;
      start = nl + 1;
    }
    return;
  }
  // Rare path: find the invalid lines one by one so that only they are reported.
  batch.marks = true;
  let start = 0;
  for (;;) {
    const nl = buf.indexOf(LF, start);
    const end = nl === -1 ? buf.length : nl;
    decodeOneLine(buf.subarray(start, end), batch, maxLineBytes);
    if (nl === -1) break;
    start = nl + 1;
  }
}

function decodeOneLine(line: Buffer, batch: BatchBuilder, maxLineBytes: number): void {
  const tooLongLine = line.length > maxLineBytes;
  const text = (tooLongLine ? line.subarray(0, KEPT_HEAD_BYTES) : line).toString("utf8");
  batch.marks ||= HAS_DIRECTION_MARK.test(text);
  if (tooLongLine) batch.push(text, tooLong(maxLineBytes));
  else batch.push(stripCr(text), isUtf8(line) ? null : "invalid UTF-8");
}

function tooLong(maxLineBytes: number): string {
  return `line longer than ${maxLineBytes.toLocaleString("en-US")} bytes`;
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === "string") return Buffer.from(chunk, "utf8");
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError("the export stream yielded something other than bytes");
}

export async function* splitLines(stream: Readable, options: SplitOptions): AsyncGenerator<LineBatch> {
  const { maxLineBytes, signal } = options;
  // The unfinished last line of the previous chunks: kept as a list so that a long line costs one concat.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  // Set while skipping the rest of an over-long line: its first bytes, decoded.
  let overlongHead: string | null = null;
  let lineNo = 1;
  let bytesRead = 0;
  let atFileStart = true;

  const flushPending = (batch: BatchBuilder, tail: Buffer): void => {
    if (overlongHead !== null) {
      batch.marks = true;
      batch.push(overlongHead, tooLong(maxLineBytes));
      overlongHead = null;
    } else {
      decodeOneLine(pending.length === 0 ? tail : Buffer.concat([...pending, tail]), batch, maxLineBytes);
    }
    pending = [];
    pendingBytes = 0;
  };

  const holdPending = (part: Buffer): void => {
    if (overlongHead !== null) return;
    pending.push(part);
    pendingBytes += part.length;
    if (pendingBytes > maxLineBytes) {
      overlongHead = Buffer.concat(pending).subarray(0, KEPT_HEAD_BYTES).toString("utf8");
      pending = [];
      pendingBytes = 0;
    }
  };

  for await (const raw of stream) {
    signal?.throwIfAborted();
    let chunk = toBuffer(raw);
    if (atFileStart && chunk.length > 0) {
      atFileStart = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    const nul = chunk.indexOf(0);
    if (nul !== -1) throw new BinaryDataError(lineNo + countNewlines(chunk, nul), bytesRead + nul);
    bytesRead += chunk.length;
    const batch = new BatchBuilder();
    let start = 0;
    if (pendingBytes > 0 || overlongHead !== null) {
      const nl = chunk.indexOf(LF);
      if (nl === -1) {
        holdPending(chunk);
        continue;
      }
      flushPending(batch, chunk.subarray(0, nl));
      start = nl + 1;
    }
    const last = chunk.lastIndexOf(LF);
    if (last >= start) {
      decodeLines(chunk.subarray(start, last), batch, maxLineBytes);
      start = last + 1;
    }
    if (start < chunk.length) holdPending(chunk.subarray(start));
    if (batch.lines.length > 0) {
      yield {
        firstLine: lineNo,
        lines: batch.lines,
        problems: batch.problems,
        bytesRead,
        marks: batch.marks,
      };
      lineNo += batch.lines.length;
    }
  }
  if (pendingBytes > 0 || overlongHead !== null) {
    const batch = new BatchBuilder();
    flushPending(batch, Buffer.alloc(0));
    yield { firstLine: lineNo, lines: batch.lines, problems: batch.problems, bytesRead, marks: batch.marks };
  }
}
