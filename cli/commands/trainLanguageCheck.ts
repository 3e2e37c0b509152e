import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DATASET_FILES } from "../../domain/artifacts/artifactKeys.js";
import {
  languageMismatch,
  languageWarning,
  styleProfileLanguageShares,
} from "../../domain/clone/languageFit.js";
import type { BaseModel } from "../../trainer-gateway/baseModels.js";

/**
 * The warning `aiclone train` prints before training when the base model does not serve the language the
 * owner writes in (the dataset's stats.json style profile); null when it does or nothing can be told.
 */
export async function baseModelLanguageWarning(dataset: string, model: BaseModel): Promise<string | null> {
  let stats: unknown = null;
  try {
    stats = JSON.parse(await readFile(join(dataset, DATASET_FILES.stats), "utf8"));
  } catch {
    // A dataset made by hand (only train.jsonl) has no stats.json, or an unreadable one: no profile to go by.
  }
  const mismatch = languageMismatch(model, styleProfileLanguageShares(stats));
  return mismatch ? languageWarning(model.name, model, mismatch) : null;
}
