import { PiiDetector, regexSpans } from "./piiKind.js";

// Explicit schemes, `www.` hosts and Telegram short links; bare domains ("site.ru") are left alone because
// they collide with file names and abbreviations far more often than they carry anything personal.
const urlPattern = /(?<![\p{L}\p{N}_@])(?:https?:\/\/|www\.|(?:t|telegram)\.me\/)[^\s<>"'«»]+/giu;
// Chat text glues punctuation and ")))" smileys onto links; they are not part of the address.
/** What every match contains (the scheme, "www." or ".me/"): a cheap test before the pattern's scan. */
const urlHint = /:\/\/|www\.|\.me\//i;
const trailingPunctuation = /[.,!?;:)\]}'"»…]+$/u;

export const urlDetector: PiiDetector = {
  kind: "url",
  find: (text) =>
    urlHint.test(text)
      ? regexSpans(text, urlPattern, (m) => {
          const trimmed = m[0].replace(trailingPunctuation, "");
          return trimmed.length > 0 ? [m.index, m.index + trimmed.length] : null;
        })
      : [],
};
