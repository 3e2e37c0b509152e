/**
 * Whether a base model serves the language its owner writes in. A LoRA adapter teaches style, not a
 * language: a clone trained on Russian messages over an English-only base model writes broken Russian.
 *
 * The owner's languages come from the dataset's style profile (stats.json `styleProfile.languages`: the share
 * of the owner's messages per guessed language, "ru" | "uk" | "en" | "other"); a base model lists the ISO
 * 639-1 codes its authors say it serves.
 */

/** A language counts as the owner's from this share of their messages on (the most used one always does). */
export const OWNER_LANGUAGE_MIN_SHARE = 0.2;

/** What the style profile calls a language it could not name (not Russian, Ukrainian or English). */
export const OTHER_LANGUAGE = "other";

/** The languages the style profile can tell apart; "other" is any language outside them. */
const NAMED_BY_PROFILE = new Set(["ru", "uk", "en"]);

export interface LanguageFitModel {
  languages: readonly string[];
  testOnly?: boolean;
}

export interface LanguageMismatch {
  /** The owner's languages, most used first, with their shares. */
  owner: { language: string; share: number }[];
  /** Those of them the model does not serve. */
  unserved: string[];
}

/**
 * A dataset report's (stats.json) `styleProfile.languages`, read defensively: reports written before the
 * profile existed, or a dataset made by hand, give null.
 */
export function styleProfileLanguageShares(report: unknown): Record<string, number> | null {
  const profile = (report as { styleProfile?: unknown } | null | undefined)?.styleProfile;
  const languages = (profile as { languages?: unknown } | null | undefined)?.languages;
  if (typeof languages !== "object" || languages === null || Array.isArray(languages)) return null;
  return Object.fromEntries(
    Object.entries(languages).filter((entry): entry is [string, number] => typeof entry[1] === "number"),
  );
}

/** The owner's languages, most used first: the top one and every other with at least 20 % of messages. */
export function ownerLanguages(shares: Readonly<Record<string, number>> | null | undefined) {
  const ranked = Object.entries(shares ?? {})
    .filter(([, share]) => typeof share === "number" && Number.isFinite(share) && share > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  return ranked
    .filter(([, share], index) => index === 0 || share >= OWNER_LANGUAGE_MIN_SHARE)
    .map(([language, share]) => ({ language, share }));
}

/**
 * Whether `model` serves `language`. An unnamed language ("other") may be served by a model that names
 * languages beyond the three the profile can tell apart, so only a model without any is said not to.
 */
export function servesLanguage(model: LanguageFitModel, language: string): boolean {
  if (language === OTHER_LANGUAGE) return model.languages.some((l) => !NAMED_BY_PROFILE.has(l));
  return model.languages.includes(language);
}

/**
 * The owner's languages the model does not serve, or null when it serves them all or nothing can be told:
 * no style profile, a test model (random weights serve no language anyway), or a model whose languages are
 * unknown (an ad-hoc GGUF file).
 */
export function languageMismatch(
  model: LanguageFitModel,
  shares: Readonly<Record<string, number>> | null | undefined,
): LanguageMismatch | null {
  if (model.testOnly || model.languages.length === 0) return null;
  const owner = ownerLanguages(shares);
  const unserved = owner.map((o) => o.language).filter((language) => !servesLanguage(model, language));
  return unserved.length ? { owner, unserved } : null;
}

const LANGUAGE_NAMES: Record<string, string> = {
  ru: "Russian",
  uk: "Ukrainian",
  en: "English",
  other: "a language other than Russian, Ukrainian or English",
};
const languageName = (code: string) => LANGUAGE_NAMES[code] ?? code;

/** The warning `aiclone train` prints (English, like the rest of the CLI). */
export function languageWarning(
  modelName: string,
  model: LanguageFitModel,
  mismatch: LanguageMismatch,
): string {
  const percent = (share: number) => `${Math.round(share * 100)}%`;
  const unserved = mismatch.owner
    .filter((o) => mismatch.unserved.includes(o.language))
    .map((o) => `${languageName(o.language)} (${percent(o.share)} of their messages)`);
  const serves =
    model.languages.length === 1
      ? `${languageName(model.languages[0] as string)} only`
      : model.languages.map(languageName).join(", ");
  const it = unserved.length === 1 ? "it" : "them";
  return (
    `base model ${modelName} serves ${serves}, but the dataset's style profile says the owner writes in ` +
    `${unserved.join(" and ")}: the clone would write poorly in ${it}. Choose a base model that serves ` +
    `${it} (--base), or go on knowing that.`
  );
}
