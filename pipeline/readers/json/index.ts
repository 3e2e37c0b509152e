/** The streaming JSON layer the Telegram and Discord readers share (docs/architecture/engines.md). */
export { type AssemblyOptions, BoundedAssembler } from "./boundedAssembler.js";
export type { TextFilter } from "./exportText.js";
export { type JsonReadOptions, readJsonTokens, type TokenBatch } from "./jsonTokenBatches.js";
export type { Token } from "./jsonTokenizer.js";
export {
  asArray,
  asRecord,
  isJsonObject,
  type JsonObject,
  type JsonRecord,
  type JsonValue,
  stringOf,
} from "./jsonValue.js";
export {
  ACCOUNT_LIMITS,
  type AssemblyLimits,
  JSON_LIMITS,
  type JsonLimits,
  RECORD_LIMITS,
} from "./limits.js";
