/** The lancedb plugin's configuration (the `config` of its entry in clone.json), validated by the host. */
import { z } from "zod";

/** Languages the full-text index can stem (tantivy's snowball stemmers). */
export const STEMMING_LANGUAGES = [
  "Arabic",
  "Danish",
  "Dutch",
  "English",
  "Finnish",
  "French",
  "German",
  "Greek",
  "Hungarian",
  "Italian",
  "Norwegian",
  "Portuguese",
  "Romanian",
  "Russian",
  "Spanish",
  "Swedish",
  "Tamil",
  "Turkish",
] as const;
export type StemmingLanguage = (typeof STEMMING_LANGUAGES)[number];

export const lancedbConfigSchema = z.object({
  /** The folder of the person's documents (md, txt, pdf), indexed recursively. */
  documentsDir: z.string().min(1),
  /** Where the LanceDB tables live; the plugin's own data folder by default. */
  indexDir: z.string().min(1).optional(),
  /** Passages a retrieval returns unless the caller asks for another number. */
  chunkLimit: z.number().int().min(1).max(100).default(6),
  /** Share of the vector ranking in the fusion (0 = full-text only, 1 = vectors only). */
  hybridWeight: z.number().min(0).max(1).default(0.5),
  /**
   * Full-text stemming, so "кошками" finds "кошка": "auto" follows the clone's language, "off" matches exact
   * words only. Changing it rebuilds the index.
   */
  stemming: z.union([z.enum(["auto", "off"]), z.enum(STEMMING_LANGUAGES)]).default("auto"),
  /**
   * The vector index (IVF): built once the table holds `minRows` chunks (below that an exact scan is fast),
   * searched in `probes` of its partitions. `enabled: false` always scans every vector (exact, slower).
   */
  vectorIndex: z
    .object({
      enabled: z.boolean().default(true),
      minRows: z.number().int().min(256).default(20_000),
      probes: z.number().int().min(1).max(1024).default(20),
    })
    .prefault({}),
  /**
   * Rows changed (written or deleted) before the table is compacted and its indexes rebuilt; fewer are
   * searched as they are (unindexed rows are scanned), so editing one file re-indexes in well under a second.
   */
  compactAfterRows: z.number().int().min(1).default(10_000),
});

export type LancedbConfig = z.infer<typeof lancedbConfigSchema>;

const BY_LANGUAGE_CODE: Record<string, StemmingLanguage> = {
  ar: "Arabic",
  da: "Danish",
  nl: "Dutch",
  en: "English",
  fi: "Finnish",
  fr: "French",
  de: "German",
  el: "Greek",
  hu: "Hungarian",
  it: "Italian",
  no: "Norwegian",
  nb: "Norwegian",
  pt: "Portuguese",
  ro: "Romanian",
  ru: "Russian",
  es: "Spanish",
  sv: "Swedish",
  ta: "Tamil",
  tr: "Turkish",
};

/** The stemmer to use, or null for exact words; `cloneLanguage` is a BCP 47 tag such as "ru" or "en-GB". */
export function stemmingLanguage(
  setting: LancedbConfig["stemming"],
  cloneLanguage: string,
): StemmingLanguage | null {
  if (setting === "off") return null;
  if (setting !== "auto") return setting;
  return BY_LANGUAGE_CODE[cloneLanguage.toLowerCase().split(/[-_]/)[0] ?? ""] ?? null;
}
