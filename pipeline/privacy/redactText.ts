import { addressDetector } from "./addressDetector.js";
import { cardDetector } from "./cardDetector.js";
import { emailDetector } from "./emailDetector.js";
import { ibanDetector } from "./ibanDetector.js";
import { phoneDetector } from "./phoneDetector.js";
import { PiiDetector, PiiKind, placeholderOf } from "./piiKind.js";
import { urlDetector } from "./urlDetector.js";

// Order matters: links and e-mails contain digits and words that the later detectors would otherwise
// take apart, and IBANs contain digit runs a card or phone rule could half-match. Placeholders have no
// digits, so a later detector never re-matches an earlier replacement.
const detectors: readonly PiiDetector[] = [
  urlDetector,
  emailDetector,
  ibanDetector,
  cardDetector,
  phoneDetector,
  addressDetector,
];

export interface RedactionResult {
  text: string;
  /** Replacements made, by kind (only kinds that occurred). */
  counts: Partial<Record<PiiKind, number>>;
}

/** Replaces personal data with typed placeholders; the message itself is always kept. */
export function redactText(text: string): RedactionResult {
  const counts: Partial<Record<PiiKind, number>> = {};
  let current = text;
  for (const detector of detectors) {
    const spans = detector.find(current);
    if (spans.length === 0) continue;
    counts[detector.kind] = spans.length;
    let out = "";
    let at = 0;
    for (const [start, end] of spans) {
      out += current.slice(at, start) + placeholderOf[detector.kind];
      at = end;
    }
    current = out + current.slice(at);
  }
  return { text: current, counts };
}
