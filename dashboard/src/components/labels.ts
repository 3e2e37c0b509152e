import type { I18n, MessageKey } from "../i18n";

/**
 * Codes the platform sends (formats, skip and drop reasons, event types, principals, model names) as phrases
 * in the reader's language. A code without a phrase is shown as it is in English and as a neutral phrase in
 * Russian: the Russian UI shows no English.
 */
type Labels = Pick<I18n, "t" | "maybe" | "language" | "number">;

const unknown = (i18n: Labels, code: string, other: MessageKey) =>
  i18n.language === "en" ? code : i18n.t(other);

/** `whatsapp-txt` → "WhatsApp (текст)". */
export const formatName = (i18n: Labels, format: string): string =>
  i18n.maybe(`format.${format}`, unknown(i18n, format, "format.other"));

/** A message drop reason, a redaction kind or a chat skip (`drop.*`, `redaction.*`). */
export const codeLabel = (i18n: Labels, prefix: string, code: string): string =>
  i18n.maybe(`${prefix}.${code}`, unknown(i18n, code, "skip.other"));

/**
 * Why an input was skipped: the phrase with its numbers where the skip carries them (`values`), else the
 * phrase alone; a reader's free-form reason (no code) is English words, shown only in English.
 */
export function skipReason(
  i18n: Labels,
  code: string,
  values?: Record<string, unknown>,
  englishReason?: string,
): string {
  const numbers = Object.entries(values ?? {}).flatMap(([name, v]): [string, string][] =>
    typeof v === "number" ? [[name, i18n.number(v, 0)]] : [],
  );
  const detail = `skipDetail.${code}`;
  const withNumbers = i18n.maybe(detail, "");
  if (withNumbers && numbers.length > 0 && numbers.length === (withNumbers.match(/\{\w+\}/g) ?? []).length)
    return withNumbers.replace(
      /\{(\w+)\}/g,
      (whole, name: string) => Object.fromEntries(numbers)[name] ?? whole,
    );
  return i18n.maybe(`skip.${code}`, i18n.language === "en" ? (englishReason ?? code) : i18n.t("skip.other"));
}

/** A base model's description in the reader's language (the catalogue's own is English). */
export function modelDescription(i18n: Labels, name: string, description: string): string {
  const known = i18n.maybe(`baseModel.${name}`, "");
  if (known) return known;
  if (description.startsWith("local GGUF")) return i18n.t("baseModel.local"); // never the server's path
  return i18n.language === "en" ? description : "";
}

/** The platform's first key is named "initial key" by the platform: said in the reader's language. */
export const keyName = (i18n: Labels, name: string): string =>
  name === "initial key" ? i18n.t("keys.initialKey") : name;

/**
 * Who did it (`owner:<id>/key:<id>`, `owner:<id>`, `system:<name>`), by name: the signed-in owner is "you",
 * with the key's name when known; anything the platform did itself is "the platform".
 */
export function principalName(i18n: Labels, principal: string, keys: ReadonlyMap<string, string>): string {
  const key = /\/key:([^/]+)$/.exec(principal)?.[1];
  if (principal.startsWith("owner:")) {
    const name = key ? keys.get(key) : undefined;
    return name ? i18n.t("timeline.youWithKey", { name: keyName(i18n, name) }) : i18n.t("timeline.you");
  }
  return i18n.t("timeline.platform");
}
