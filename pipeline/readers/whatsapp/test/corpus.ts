import { join } from "node:path";
import { sharedDataDir } from "../../../../testing/sharedData.js";

/** `shared/corpus` (DESIGN.md "Models and data for tests"). */
export const corpusDir = (): string => join(sharedDataDir(), "corpus");
