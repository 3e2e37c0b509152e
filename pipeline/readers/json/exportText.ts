import type { Readable } from "node:stream";
import { ExportReadError } from "../../model/conversation.js";
import { firstInvalidUtf8 } from "./utf8Position.js";

/** Decoded JSON text of one chunk, with the byte range of the file it came from (for error messages). */
export interface TextChunk {
  text: string;
  byteStart: number;
  byteEnd: number;
}

/** Rewrites decoded text on its way to the tokenizer (Telegram's `\xNN` escapes); holds back what it must. */
export interface TextFilter {
  push(text: string): string;
  /** The text held back at the end of the input. */
  end(): string;
}

export interface DecodeOptions {
  signal?: AbortSignal | undefined;
  /** Makes a fresh filter for one pass over the file (the file may be read twice to locate an error). */
  filter?: (() => TextFilter) | undefined;
}

/**
 * Streams a file as strict UTF-8 text, chunk by chunk. Invalid UTF-8 is an error with its byte offset rather
 * than U+FFFD, because silently replaced bytes would corrupt the messages that feed a clone. A leading BOM is
 * dropped. The last chunk is empty-ranged at the end of the file and carries what the decoder and the filter
 * held back.
 */
export async function* decodeExportText(
  stream: Readable,
  label: string,
  options: DecodeOptions = {},
): AsyncGenerator<TextChunk> {
  const { signal } = options;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const filter = options.filter?.();
  let offset = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      signal?.throwIfAborted();
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      const byteStart = offset;
      offset += bytes.length;
      let text: string;
      try {
        text = decoder.decode(bytes, { stream: true });
      } catch (error) {
        const at = firstInvalidUtf8(bytes);
        throw new ExportReadError(label, `byte ${byteStart + Math.max(at, 0)}`, "invalid UTF-8", {
          cause: error,
        });
      }
      yield { text: filter ? filter.push(text) : text, byteStart, byteEnd: offset };
    }
  } catch (error) {
    if (error instanceof ExportReadError || signal?.aborted || isAbort(error)) throw error;
    throw new ExportReadError(label, `byte ${offset}`, `cannot read the file: ${messageOf(error)}`, {
      cause: error,
    });
  }
  let tail: string;
  try {
    tail = decoder.decode();
  } catch (error) {
    throw new ExportReadError(label, `byte ${offset}`, "the file ends inside a UTF-8 sequence", {
      cause: error,
    });
  }
  yield { text: filter ? filter.push(tail) + filter.end() : tail, byteStart: offset, byteEnd: offset };
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
