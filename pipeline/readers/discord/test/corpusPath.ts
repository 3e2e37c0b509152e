import { join } from "node:path";
import { sharedDataDir } from "../../../../infra/fixtures/sharedDataDir.js";

/** `shared/corpus`: the real chat exports the readers are tested on. */
export const corpusRoot = (): string => join(sharedDataDir(), "corpus");
