import { jsonParser, type Token } from "stream-json/parser.js";
import { JSON_LIMITS } from "./limits.js";

export type { Token };

/**
 * stream-json's bare tokenizer, driven synchronously: decoded text in, packed tokens out. Calling it directly
 * (instead of through Node streams) avoids a stream hop per token, which is most of the cost on large files.
 */
export interface JsonTokenizer {
  write(text: string): readonly Token[];
  /** Signals the end of input; throws when the JSON is incomplete (a truncated file). */
  end(): readonly Token[];
  /** True while a key, string or number has begun and not yet ended. */
  readonly inValue: boolean;
  /** How many keys, strings and numbers have begun so far; tells one open value from the next. */
  readonly valuesBegun: number;
}

// stream-chain's `none` marker is a registered symbol; using the registry avoids importing stream-chain,
// which is only a transitive dependency.
const NONE: unique symbol = Symbol.for("object-stream.none") as never;

type RawTokenizer = (chunk: string | typeof NONE) => { values: Token[] } | typeof NONE;

const PACKED: Record<string, Token["name"]> = {
  endKey: "keyValue",
  endString: "stringValue",
  endNumber: "numberValue",
};

/**
 * Values longer than `maxValueChars` are cut to it as they stream (JSON_LIMITS.maxValueChars), so one
 * hostile string costs bounded memory; its token still arrives.
 */
export function createJsonTokenizer(maxValueChars = JSON_LIMITS.maxValueChars): JsonTokenizer {
  // Values arrive in chunks and are packed here, within the bound; stream-json's own packing would first
  // build the whole string, however long.
  const raw = jsonParser({ packValues: false, streamValues: true }) as unknown as RawTokenizer;
  let parts: string[] = [];
  let kept = 0;
  let inValue = false;
  let valuesBegun = 0;
  const pack = (tokens: Token[]): Token[] => {
    const out: Token[] = [];
    for (const token of tokens) {
      switch (token.name) {
        case "startKey":
        case "startString":
        case "startNumber":
          parts = [];
          kept = 0;
          inValue = true;
          valuesBegun++;
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
          inValue = false;
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
  return {
    write: (text) => run(text),
    end: () => run(NONE),
    get inValue() {
      return inValue;
    },
    get valuesBegun() {
      return valuesBegun;
    },
  };
}
