import type { JsonValue } from "../json/index.js";
import { isJsonObject } from "../json/index.js";

// Direction marks and embeddings are invisible and only add noise to training text; ZWJ (U+200D) stays,
// because emoji sequences need it.
const DIRECTION_MARKS = /[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g;

export function removeDirectionMarks(text: string): string {
  return text.replace(DIRECTION_MARKS, "");
}

/**
 * The plain text of a `text` / `text_entities` value: a string, or an array of strings and `{type, text}`
 * parts (bold, link, text_link, mention_name, custom_emoji, blockquote, pre, …). tdesktop writes the parts
 * flat and non-overlapping, so joining their `text` rebuilds the message. Returns null for a value of the
 * wrong shape.
 */
export function plainTextOf(value: JsonValue | undefined): string | null {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return removeDirectionMarks(value);
  if (!Array.isArray(value)) return null;
  let text = "";
  for (const part of value) {
    if (typeof part === "string") text += part;
    else if (isJsonObject(part) && typeof part.text === "string") text += part.text;
    // An entity without text (seen for some custom emoji) contributes nothing; anything else is corrupt.
    else if (!(isJsonObject(part) && part.text === undefined)) return null;
  }
  return removeDirectionMarks(text);
}
