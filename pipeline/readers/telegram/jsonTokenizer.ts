import { jsonParser, type Token } from "stream-json/parser.js";

export type { Token };

/**
 * stream-json's bare tokenizer, driven synchronously: decoded text in, packed tokens out. Calling it directly
 * (instead of through Node streams) avoids a stream hop per token, which is most of the cost on large files.
 */
export interface JsonTokenizer {
  write(text: string): readonly Token[];
  /** Signals the end of input; throws when the JSON is incomplete (a truncated file). */
  end(): readonly Token[];
}

// stream-chain's `none` marker is a registered symbol; using the registry avoids importing stream-chain,
// which is only a transitive dependency.
const NONE: unique symbol = Symbol.for("object-stream.none") as never;

type RawTokenizer = (chunk: string | typeof NONE) => { values: Token[] } | typeof NONE;

export function createJsonTokenizer(): JsonTokenizer {
  // Packed values only: one token per key/string/number keeps the walker simple and fast.
  const raw = jsonParser({ packValues: true, streamValues: false }) as unknown as RawTokenizer;
  const run = (chunk: string | typeof NONE): readonly Token[] => {
    const result = raw(chunk);
    return result === NONE ? [] : result.values;
  };
  return { write: (text) => run(text), end: () => run(NONE) };
}
