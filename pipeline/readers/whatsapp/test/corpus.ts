import { join } from "node:path";
import { sharedDataDir } from "@aiclone/testing/sharedData";

/** `shared/corpus` (DESIGN.md "Models and data for tests"). */
export const corpusDir = (): string => join(sharedDataDir(), "corpus");
