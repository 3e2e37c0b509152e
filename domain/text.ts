import { invalid } from "./errors.js";

// Control characters other than tab and newline never belong in user text and break logs and prompts.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Trims, normalises to NFC (Cyrillic typed on different keyboards compares equal) and bounds a text field. */
export function boundedText(
  field: string,
  value: string,
  bounds: { min: number; max: number; multiline?: boolean },
): string {
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
