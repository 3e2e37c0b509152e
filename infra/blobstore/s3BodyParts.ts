/**
 * Cuts a streamed body into multipart parts while counting and hashing it. A full part is handed out
 * only once a byte beyond it has arrived, so the consumer learns from `last` whether the first part is
 * the whole body (one PutObject) before it commits to a multipart upload.
 */
import type { Readable } from "node:stream";
import { BodyMeter } from "./bodyMeter.js";

export interface BodyPart {
  bytes: Buffer;
  last: boolean;
}

export interface MeteredBody {
  parts: AsyncGenerator<BodyPart>;
  /** Size and sha256 of everything read; final once `parts` is done. */
  totals(): { size: number; sha256: string };
}

export interface MeteredBodyOptions {
  /** Only for the error message. */
  key: string;
  partSize: number;
  maxBytes?: number;
  signal?: AbortSignal;
}

/** Takes exactly `count` bytes off the front of `pending`, splitting a chunk where needed. */
function takeBytes(pending: Uint8Array[], count: number): Buffer {
  const taken: Uint8Array[] = [];
  let needed = count;
  while (needed > 0) {
    const head = pending.shift();
    if (head === undefined) throw new Error("takeBytes: fewer bytes pending than asked for");
    if (head.byteLength <= needed) {
      taken.push(head);
      needed -= head.byteLength;
    } else {
      taken.push(head.subarray(0, needed));
      pending.unshift(head.subarray(needed));
      needed = 0;
    }
  }
  return Buffer.concat(taken, count);
}

export function meterBody(
  body: Readable | AsyncIterable<Uint8Array>,
  options: MeteredBodyOptions,
): MeteredBody {
  const { key, partSize, maxBytes, signal } = options;
  const meter = new BodyMeter(key, maxBytes);
  let done = false;

  async function* parts(): AsyncGenerator<BodyPart> {
    const pending: Uint8Array[] = [];
    let pendingBytes = 0;
    for await (const chunk of body as AsyncIterable<unknown>) {
      signal?.throwIfAborted();
      // Metered before buffering, so an oversized body is refused on its first byte too many.
      const bytes = meter.add(chunk);
      pending.push(bytes);
      pendingBytes += bytes.byteLength;
      while (pendingBytes > partSize) {
        pendingBytes -= partSize;
        yield { bytes: takeBytes(pending, partSize), last: false };
      }
    }
    signal?.throwIfAborted();
    done = true;
    yield { bytes: takeBytes(pending, pendingBytes), last: true };
  }

  return {
    parts: parts(),
    totals() {
      if (!done) throw new Error("meterBody: totals asked for before the body was read");
      return { size: meter.size, sha256: meter.sha256() };
    },
  };
}
