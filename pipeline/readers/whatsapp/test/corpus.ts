import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** `../shared/corpus` next to the repository (DESIGN.md "Models and data for tests"), found from this file. */
export function corpusDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("package.json not found above the test");
    dir = parent;
  }
  return join(dir, "..", "shared", "corpus");
}
