import { PiiDetector, regexSpans } from "./piiKind.js";

// Each alternative is a shape phones are actually written in; a loose "many digits" rule would also take
// dates (2024-05-12), times, prices (1 500 000), versions (1.2.3) and IP addresses.
const shapes = [
  // International with a plus: +7 (916) 123-45-67, +44 20 7946 0958, +380501234567, +1-555-123-4567.
  String.raw`\+\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){1,2}(?:[ .-]?\d{2,4}){1,4}`,
  // Russian trunk prefix 8 (or 7 without plus): 8 (916) 123-45-67, 8-916-123-45-67, 89161234567.
  String.raw`[78][ -]?\(?\d{3}\)?[ -]?\d{3}[ -]?\d{2}[ -]?\d{2}`,
  // A Russian mobile without the prefix, written with a code: (916) 123-45-67, 916 123-45-67.
  String.raw`\(?9\d{2}\)?[ -]\d{3}[ -]\d{2}[ -]\d{2}`,
  // North American: (555) 123-4567, 555-123-4567, 555.123.4567.
  String.raw`\(\d{3}\)[ ]?\d{3}[ .-]\d{4}|\d{3}([.-])\d{3}\1\d{4}`,
  // A city number: 123-45-67.
  String.raw`\d{3}-\d{2}-\d{2}`,
];
const phonePattern = new RegExp(
  `(?<![\\p{L}\\p{N}+.,:/-])(?:${shapes.join("|")})(?![\\p{L}\\p{N}]|[.,:-]\\d)`,
  "gu",
);

/** Every shape holds two digits in a row: a cheap test before the pattern's scan. */
const phoneHint = /\d\d/;

export const phoneDetector: PiiDetector = {
  kind: "phone",
  find: (text) =>
    !phoneHint.test(text)
      ? []
      : regexSpans(text, phonePattern, (m) => {
          const digits = m[0].replace(/\D/g, "").length;
          if (m[0].startsWith("+") ? digits < 10 || digits > 15 : digits < 7 || digits > 11) return null;
          return [m.index, m.index + m[0].length];
        }),
};
