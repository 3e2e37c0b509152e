import type { Token } from "./jsonTokenizer.js";
import type { JsonObject, JsonValue } from "./jsonValue.js";
import type { AssemblyLimits } from "./limits.js";

export type { AssemblyLimits };

export interface AssemblyOptions {
  /**
   * "text" keeps a number's literal (Discord's snowflakes lose no precision); "number" converts it, as
   * JSON.parse does. Default "number".
   */
  numbers?: "number" | "text";
}

/**
 * Builds one JSON value from packed tokens, like stream-json's Assembler, but within limits (maxDepth levels,
 * maxChars characters of keys, strings and numbers): past them it stops building and only follows the
 * nesting to find the value's end, so a hostile value costs no memory. `failure` is set the moment a limit
 * trips; the reader decides what that means (Telegram skips the message once it ends, Discord refuses the
 * file at once).
 */
export class BoundedAssembler {
  private readonly containers: (JsonValue[] | JsonObject)[] = [];
  private readonly keys: (string | null)[] = [];
  private depth = 0;
  private chars = 0;
  private value: JsonValue = null;
  failure: string | null = null;

  private readonly numbersAsText: boolean;

  constructor(
    private readonly limits: AssemblyLimits,
    options: AssemblyOptions = {},
  ) {
    this.numbersAsText = options.numbers === "text";
  }

  /** Feeds one token; true once the value is complete. */
  push(token: Token): boolean {
    switch (token.name) {
      case "startObject":
      case "startArray":
        this.depth++;
        if (this.failure === null && this.depth > this.limits.maxDepth) {
          this.fail(`nested deeper than ${this.limits.maxDepth} levels`);
        }
        if (this.failure === null) {
          const container: JsonValue[] | JsonObject = token.name === "startArray" ? [] : {};
          this.containers.push(container);
          this.keys.push(null);
        }
        return false;
      case "endObject":
      case "endArray": {
        this.depth--;
        if (this.failure === null) {
          this.keys.pop();
          const done = this.containers.pop() ?? null;
          return this.add(done);
        }
        return this.depth === 0;
      }
      case "keyValue":
        if (this.failure === null && this.count(token.value.length))
          this.keys[this.keys.length - 1] = token.value;
        return false;
      case "stringValue":
        return this.count(token.value.length) ? this.add(token.value) : this.depth === 0;
      case "numberValue":
        if (!this.count(token.value.length)) return this.depth === 0;
        return this.add(this.numbersAsText ? token.value : Number(token.value));
      case "nullValue":
        return this.add(null);
      case "trueValue":
        return this.add(true);
      case "falseValue":
        return this.add(false);
      default:
        // Streamed chunks never arrive: the tokenizer packs every value.
        return false;
    }
  }

  /** The value, once push() returned true and failure is null. */
  result(): JsonValue {
    return this.value;
  }

  private count(length: number): boolean {
    if (this.failure !== null) return false;
    this.chars += length;
    if (this.chars > this.limits.maxChars) this.fail(`larger than ${this.limits.maxChars} characters`);
    return this.failure === null;
  }

  private fail(reason: string): void {
    this.failure = reason;
    this.containers.length = 0;
    this.keys.length = 0;
  }

  private add(item: JsonValue): boolean {
    if (this.failure !== null) return this.depth === 0;
    const parent = this.containers[this.containers.length - 1];
    if (parent === undefined) {
      this.value = item;
      return true;
    }
    if (Array.isArray(parent)) parent.push(item);
    else {
      const key = this.keys[this.keys.length - 1] ?? "";
      // Plain objects stay fast (prototype-less ones fall into dictionary mode); a `__proto__` key is then
      // defined as data, as JSON.parse does, instead of replacing the prototype.
      if (key === "__proto__")
        Object.defineProperty(parent, key, {
          value: item,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else parent[key] = item;
    }
    return false;
  }
}
