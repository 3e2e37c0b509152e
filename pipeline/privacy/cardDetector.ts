import { luhnValid } from "./luhn.js";
import { PiiDetector, regexSpans } from "./piiKind.js";

// Only the groupings cards are written in (unbroken, 4-4-4-4 or 4-4-4-4-3, Amex 4-6-5, Diners 4-6-4): prices and
// ids grouped in threes never look like a card, whatever their Luhn digit happens to be.
const cardPattern =
  /(?<![\d\p{L}])(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{3})?|\d{4}([ -])\d{6}\2\d{4,5})(?![\d\p{L}])/gu;

/** Every shape starts with four digits in a row: a cheap test before the pattern's scan. */
const cardHint = /\d{4}/;

export const cardDetector: PiiDetector = {
  kind: "card",
  find: (text) =>
    !cardHint.test(text)
      ? []
      : regexSpans(text, cardPattern, (m) => {
          const digits = m[0].replace(/\D/g, "");
          if (digits.length < 13 || digits.length > 19 || !luhnValid(digits)) return null;
          return [m.index, m.index + m[0].length];
        }),
};
