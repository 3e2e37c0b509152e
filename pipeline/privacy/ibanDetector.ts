import { ibanValid } from "./ibanChecksum.js";
import { PiiDetector, regexSpans } from "./piiKind.js";

// Printed IBANs come in groups of four; the greedy match may swallow a following short word, so
// shorter prefixes (at group boundaries) are tried until one passes the checksum.
const ibanPattern =
  /(?<![\p{L}\p{N}])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![\p{L}\p{N}])/gu;

/** Every match starts with a country code and two check digits: a cheap test before the pattern's scan. */
const ibanHint = /[A-Z]{2}\d{2}/;

export const ibanDetector: PiiDetector = {
  kind: "iban",
  find: (text) =>
    !ibanHint.test(text)
      ? []
      : regexSpans(text, ibanPattern, (m) => {
          let candidate = m[0];
          while (candidate.replace(/ /g, "").length >= 15) {
            if (ibanValid(candidate.replace(/ /g, ""))) return [m.index, m.index + candidate.length];
            const cut = candidate.lastIndexOf(" ");
            if (cut < 0) break;
            candidate = candidate.slice(0, cut);
          }
          return null;
        }),
};
