export { emptyRedactionCounts, type PiiKind, placeholderOf, type RedactionCounts } from "./piiKind.js";
export { Pseudonyms } from "./pseudonyms.js";
export { type RedactionResult, redactText } from "./redactText.js";
