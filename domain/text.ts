import { invalid } from "./errors.js";

// Control characters other than tab and newline never belong in user text and break logs and prompts.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** Half of a UTF-16 surrogate pair without its other half: not text, and stored as U+FFFD by any UTF-8 store. */
const LONE_SURROGATE = /\p{Cs}/u;
/**
 * Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): in a name they reorder
 * what is shown after them (`invoice\u202Etxt.exe` shows as `invoiceexe.txt`). Right-to-left text itself
 * needs none of them; the marks U+200E/U+200F stay allowed.
 */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;

/** Trims, normalises to NFC (Cyrillic typed on different keyboards compares equal) and bounds a text field. */
export function boundedText(
  field: string,
  value: string,
  bounds: { min: number; max: number; multiline?: boolean },
): string {
  if (LONE_SURROGATE.test(value)) throw invalid(field, "must not contain unpaired UTF-16 surrogates");
  const text = value.normalize("NFC").trim();
  const length = [...text].length;
  if (length < bounds.min)
    throw invalid(
      field,
      bounds.min === 1 ? "must not be empty" : `must have at least ${bounds.min} characters`,
    );
  if (length > bounds.max) throw invalid(field, `must have at most ${bounds.max} characters (got ${length})`);
  if (CONTROL.test(text)) throw invalid(field, "must not contain control characters");
  if (!bounds.multiline && /[\r\n]/.test(text)) throw invalid(field, "must be a single line");
  return text;
}

/**
 * Refuses what makes a name display as something else: bidirectional controls and unpaired surrogates.
 * For names people choose (owners, keys, clones, display names, file names, install tokens), not for
 * names matched against an export (a Telegram display name may hold anything).
 */
export function assertDisplaySafe(field: string, value: string): void {
  if (LONE_SURROGATE.test(value)) throw invalid(field, "must not contain unpaired UTF-16 surrogates");
  if (BIDI_CONTROL.test(value))
    throw invalid(field, "must not contain bidirectional control characters (U+202A–U+202E, U+2066–U+2069)");
}

/** boundedText for a name someone chooses: single line, and display-safe. */
export function nameText(field: string, value: string, bounds: { min: number; max: number }): string {
  assertDisplaySafe(field, value);
  return boundedText(field, value, bounds);
}
