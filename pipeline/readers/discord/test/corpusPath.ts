import { join } from "node:path";
import { sharedDataDir } from "@aiclone/testing/sharedData";

/** `shared/corpus`: the real chat exports the readers are tested on. */
export const corpusRoot = (): string => join(sharedDataDir(), "corpus");
