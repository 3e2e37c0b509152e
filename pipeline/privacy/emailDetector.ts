import { PiiDetector, regexSpans } from "./piiKind.js";

const emailPattern =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

export const emailDetector: PiiDetector = {
  kind: "email",
  // Without an "@" the pattern cannot match: skip its scan (most messages).
  find: (text) => (text.includes("@") ? regexSpans(text, emailPattern) : []),
};
