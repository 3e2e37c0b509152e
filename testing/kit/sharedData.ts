/**
 * Where the tests find their data: the repository root and `shared/` (the small real models and chat exports
 * of DESIGN.md "Models and data for tests"). Runtime-safe: runtime and plugin tests may import it.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root: the nearest folder above this file (source or compiled) whose package.json has workspaces. */
export function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!isWorkspaceRoot(dir)) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("repository root not found above this file");
    dir = parent;
  }
  return dir;
}

/**
 * `shared/` with the small real models and chat exports (DESIGN.md "Models and data for tests"): beside
 * the repository, or where SHARED_DATA_DIR says (the test runner sets it for a clone made elsewhere).
 */
export function sharedDataDir(): string {
  const fromEnv = process.env.SHARED_DATA_DIR;
  return fromEnv ? resolve(fromEnv) : join(repositoryRoot(), "..", "shared");
}

/** The Llama-2-architecture model with random weights (1.7 MB): fast, and produces gibberish. */
export const TINY_MODEL_NAME = "llama-2-tiny-random";
export const TINY_MODEL_SHA256 = "81f226c62d28ed4a1a9b9fa080fcd9f0cc40e0f9d5680036583ff98fbcd035cb";
export const tinyModelPath = (): string => join(sharedDataDir(), "models", `${TINY_MODEL_NAME}.gguf`);

function isWorkspaceRoot(dir: string): boolean {
  const manifest = join(dir, "package.json");
  return existsSync(manifest) && "workspaces" in JSON.parse(readFileSync(manifest, "utf8"));
}
