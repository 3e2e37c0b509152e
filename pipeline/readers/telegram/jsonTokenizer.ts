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

/**
 * Longest key, string or number kept whole. A longer one (a hostile file: one 2 GB string on one line) is
 * cut to this length as it streams, so memory stays bounded and V8's string limit is never reached; its
 * token still arrives, long enough for the message assembler to skip the message as too large.
 */
export const MAX_VALUE_CHARS = 4 * 1024 * 1024;

// stream-chain's `none` marker is a registered symbol; using the registry avoids importing stream-chain,
// which is only a transitive dependency.
const NONE: unique symbol = Symbol.for("object-stream.none") as never;

type RawTokenizer = (chunk: string | typeof NONE) => { values: Token[] } | typeof NONE;

const PACKED: Record<string, Token["name"]> = {
  endKey: "keyValue",
  endString: "stringValue",
  endNumber: "numberValue",
};

export function createJsonTokenizer(maxValueChars = MAX_VALUE_CHARS): JsonTokenizer {
  // Values arrive in chunks and are packed here, within the bound; stream-json's own packing would first
  // build the whole string, however long.
  const raw = jsonParser({ packValues: false, streamValues: true }) as unknown as RawTokenizer;
  let parts: string[] = [];
  let kept = 0;
  const pack = (tokens: Token[]): Token[] => {
    const out: Token[] = [];
    for (const token of tokens) {
      switch (token.name) {
        case "startKey":
        case "startString":
        case "startNumber":
          parts = [];
          kept = 0;
          break;
        case "stringChunk":
        case "numberChunk": {
          const chunk = token.value as string;
          if (kept < maxValueChars) {
            const part = kept + chunk.length > maxValueChars ? chunk.slice(0, maxValueChars - kept) : chunk;
            parts.push(part);
            kept += part.length;
          }
          break;
        }
        case "endKey":
        case "endString":
        case "endNumber":
          out.push({
            name: PACKED[token.name],
            value: parts.length === 1 ? parts[0] : parts.join(""),
          } as Token);
          parts = [];
          break;
        default:
          out.push(token);
      }
    }
    return out;
  };
  const run = (chunk: string | typeof NONE): readonly Token[] => {
    const result = raw(chunk);
    return result === NONE ? [] : pack(result.values);
  };
  return { write: (text) => run(text), end: () => run(NONE) };
}
