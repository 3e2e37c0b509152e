import type { Readable } from "node:stream";
import { jsonParser, type Token } from "stream-json/parser.js";
import { ExportReadError } from "../../model/conversation.js";

/** stream-chain's "no output" marker; a registered symbol, so it is the same value stream-json compares with. */
const none: unique symbol = Symbol.for("object-stream.none") as never;

export interface TokenBatch {
  tokens: readonly Token[];
  /** Bytes of the file consumed once this batch was produced (errors are located to this offset). */
  offset: number;
}

export interface TokenBatchOptions {
  signal?: AbortSignal | undefined;
  /**
   * Longest run of input that may produce no token (one string or number). With packed values the tokenizer
   * accumulates a lexeme in memory, so without this bound one hostile multi-GB string would exhaust memory.
   */
  maxLexemeBytes?: number;
}

const DEFAULT_MAX_LEXEME_BYTES = 64 * 1024 * 1024;

type Tokenizer = (input: string | typeof none) => { values: Token[] } | typeof none;

/**
 * JSON tokens of a byte stream, a batch per input chunk. UTF-8 is decoded strictly here (stream-json's own
 * front end would silently replace invalid bytes), so a file that is not UTF-8 is an error with its offset.
 * Only packed tokens are produced (keyValue, stringValue, numberValue, …): fewer tokens, less work per byte.
 */
export async function* jsonTokenBatches(
  input: Readable,
  file: string,
  options: TokenBatchOptions = {},
): AsyncGenerator<TokenBatch> {
  const tokenize = jsonParser({ packValues: true, streamValues: false }) as unknown as Tokenizer;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const maxLexeme = options.maxLexemeBytes ?? DEFAULT_MAX_LEXEME_BYTES;
  let offset = 0;
  let lastTokenAt = 0;

  const step = (text: string | typeof none): TokenBatch | null => {
    let out: ReturnType<Tokenizer>;
    try {
      out = tokenize(text);
    } catch (error) {
      throw new ExportReadError(file, `byte ${offset}`, `not valid JSON: ${messageOf(error)}`, {
        cause: error,
      });
    }
    if (out === none || out.values.length === 0) {
      if (offset - lastTokenAt > maxLexeme) {
        throw new ExportReadError(
          file,
          `byte ${offset}`,
          `a single JSON value is longer than ${maxLexeme} bytes`,
        );
      }
      return null;
    }
    lastTokenAt = offset;
    return { tokens: out.values, offset };
  };

  try {
    for await (const chunk of input as AsyncIterable<Buffer | string>) {
      options.signal?.throwIfAborted();
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      let text: string;
      try {
        text = decoder.decode(bytes, { stream: true });
      } catch (error) {
        throw new ExportReadError(file, `byte ${offset}`, "not valid UTF-8", { cause: error });
      }
      offset += bytes.length;
      if (text.length === 0) continue;
      const batch = step(text);
      if (batch) yield batch;
    }
    let tail: string;
    try {
      tail = decoder.decode();
    } catch (error) {
      throw new ExportReadError(file, `byte ${offset}`, "not valid UTF-8 (truncated character)", {
        cause: error,
      });
    }
    if (tail) {
      const batch = step(tail);
      if (batch) yield batch;
    }
    const last = step(none);
    if (last) yield last;
  } catch (error) {
    if (error instanceof ExportReadError || isAbort(error)) throw error;
    throw new ExportReadError(file, `byte ${offset}`, `cannot read: ${messageOf(error)}`, { cause: error });
  } finally {
    input.destroy();
  }
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
