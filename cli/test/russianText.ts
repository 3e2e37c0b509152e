import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";

/**
 * "Only Russian in the Russian UI": every word a person sees must come from the dashboard's Russian catalogue
 * (`dashboard/src/i18n.tsx`), or be a number, a date, or on the caller's allow-list (names from the export,
 * the clone's name, model names). The owner's and the clone's own words are exempt where the page marks them
 * (`data-own-words`), and so are commands and code (`code`, `pre`).
 */

/** The Russian catalogue's values, read from the dashboard's source (the `ru` object of i18n.tsx). */
export function russianCatalogue(repoRoot: string): string[] {
  const source = readFileSync(join(repoRoot, "dashboard", "src", "i18n.tsx"), "utf8");
  const start = source.indexOf("const ru = {");
  const end = source.indexOf("} as const;", start);
  if (start < 0 || end < 0) throw new Error("the ru catalogue was not found in dashboard/src/i18n.tsx");
  const body = source.slice(start, end);
  const values: string[] = [];
  // "key": "value" (possibly on the next line); values are JSON-compatible double-quoted strings.
  for (const m of body.matchAll(/"[\w.-]+":\s*("(?:[^"\\]|\\.)*")/g))
    values.push(JSON.parse(m[1]!) as string);
  if (values.length < 100) throw new Error(`the ru catalogue looks truncated: ${values.length} values`);
  return values;
}

/** Russian abbreviations Intl writes in dates ("6 дек. 2026 г., 23:40") and compact numbers ("7,6 млрд"). */
const dateWords = [
  "янв",
  "февр",
  "мар",
  "апр",
  "мая",
  "июн",
  "июл",
  "авг",
  "сент",
  "окт",
  "нояб",
  "дек",
  "г",
  "тыс",
  "млн",
  "млрд",
  "трлн",
];

/** Words: Cyrillic ones lower-cased (a sentence starts with a capital), Latin ones as written (`WhatsApp` is
 * a name, `whatsapp` a code). Placeholders (`{owner}`) are not words. */
const words = (text: string): string[] =>
  (text.replace(/\{\w+\}/g, " ").match(/\p{L}+/gu) ?? []).map((w) =>
    /[a-z]/i.test(w) ? w : w.toLowerCase(),
  );

/** Strips what is never language: URLs, ids, hashes, key prefixes, placeholders' braces. */
function stripTokens(text: string): string {
  return text
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, " ")
    .replace(/\b(?:ak|ait)_[\w-]+/g, " ")
    .replace(/\b[0-9a-f]{8,}\b/gi, " ")
    .replace(/[\w-]{12,}/g, (token) => (/\d/.test(token) && /[A-Za-z]/.test(token) ? " " : token));
}

export class RussianTextCheck {
  private readonly known: Set<string>;

  constructor(catalogue: readonly string[], allow: readonly string[] = []) {
    this.known = new Set([...catalogue.flatMap(words), ...dateWords, ...allow.flatMap(words)]);
  }

  /** Adds allowed words (names the test put into the data, ids it learned). */
  allow(...texts: string[]): void {
    for (const text of texts) for (const w of words(text)) this.known.add(w);
  }

  /** The texts with at least one word outside the catalogue and the allow-list, each with those words. */
  untranslated(texts: readonly string[]): string[] {
    const out: string[] = [];
    for (const text of texts) {
      const unknown = words(stripTokens(text)).filter((w) => !this.known.has(w) && !/^v$/.test(w));
      if (unknown.length > 0) out.push(`${text.trim().slice(0, 160)}  [${[...new Set(unknown)].join(", ")}]`);
    }
    return out;
  }
}

/**
 * The visible text of the page: text nodes and the labels a screen reader reads (aria-label, title,
 * placeholder, alt), outside `[data-own-words]`, `code` and `pre`.
 */
export async function visibleTexts(page: Page): Promise<string[]> {
  return (await page.evaluate(collectVisibleTexts)) as string[];
}

// Runs in the page (a string: this package compiles without the DOM's types).
const collectVisibleTexts = `(() => {
  const exempt = "[data-own-words], code, pre, script, style, noscript, textarea";
  const seen = new Set();
  const visible = (el) => el.checkVisibility({ visibilityProperty: true });
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const parent = node.parentElement;
    if (!text || !parent || parent.closest(exempt)) continue;
    // An option of a closed select is not rendered, but it is read and shown once opened.
    const shown = parent.tagName === "OPTION" ? (parent.closest("select") || parent) : parent;
    if (visible(shown)) seen.add(text);
  }
  for (const el of document.body.querySelectorAll("[aria-label], [title], [placeholder], [alt]")) {
    if (el.closest(exempt) || !visible(el)) continue;
    for (const name of ["aria-label", "title", "placeholder", "alt"]) {
      const value = (el.getAttribute(name) || "").trim();
      if (value) seen.add(value);
    }
  }
  // A datalist's options are shown as suggestions under their input.
  for (const option of document.querySelectorAll("datalist option")) {
    const label = (option.getAttribute("label") || "").trim();
    if (label) seen.add(label);
  }
  return [...seen];
})()`;
