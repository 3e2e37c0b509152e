/**
 * Cleaning of the text that goes into the system prompt as quoted data: display names chosen by chat
 * partners, document passages and their sources. None of it may break out of its quotes, hide text from a
 * reader (bidi overrides), or look like a new line of the prompt.
 */

/** C0 and C1 controls (newlines included), the line and paragraph separators. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROLS = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g;
/** Controls but the newline and the tab: a passage keeps its lines. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROLS_BUT_LINES = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029]/g;
/** Bidi marks, embeddings, overrides and isolates; zero-width characters and the BOM. */
const BIDI_AND_INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
/** Embeddings, overrides and isolates: what reorders text on screen (a passage keeps its marks). */
const BIDI_OVERRIDES = /[\u202A-\u202E\u2066-\u2069]/g;
/** Surrogates without their pair. */
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** The quotes the prompt puts around a name. */
const QUOTES = /["«»“”„]/g;
/** What would open or close a passage's fence. */
const PASSAGE_TAG = /<(\s*\/?\s*passage)/gi;

const MAX_NAME = 100;
const MAX_SOURCE = 300;

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max).join("")}…` : text;
}

/** One line: controls become spaces, invisible and bidi characters go, spaces collapse. */
function oneLine(text: string): string {
  return text
    .replace(LONE_SURROGATES, "")
    .replace(BIDI_AND_INVISIBLE, "")
    .replace(CONTROLS, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** A partner's display name as the prompt quotes it ("" when nothing printable is left). */
export function displayNameForPrompt(name: string): string {
  return truncate(oneLine(name).replace(QUOTES, "'"), MAX_NAME);
}

/** A passage's source (a path, a heading) on its one line. */
export function sourceForPrompt(source: string): string {
  return truncate(oneLine(source).replace(PASSAGE_TAG, "‹$1"), MAX_SOURCE);
}

/** A passage's text between its fences: its lines kept, nothing that could close the fence. */
export function passageTextForPrompt(text: string): string {
  return text
    .replace(LONE_SURROGATES, "")
    .replace(BIDI_OVERRIDES, "")
    .replace(CONTROLS_BUT_LINES, " ")
    .replace(PASSAGE_TAG, "‹$1")
    .trim();
}
