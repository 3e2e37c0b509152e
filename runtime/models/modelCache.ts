import { homedir } from "node:os";
import { join, resolve } from "node:path";

export const MODEL_CACHE_ENV = "AICLONE_RUNTIME_MODEL_CACHE";

/** The shared cache of base models: one download serves every bundle on the machine built on that model. */
export function modelCacheDir(override?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (override) return resolve(override);
  const fromEnv = env[MODEL_CACHE_ENV];
  if (fromEnv) return resolve(fromEnv);
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg ? resolve(xdg) : join(homedir(), ".cache"), "aiclone", "models");
}

/** The sha256 prefix keeps two different files published under one name apart. */
export const cachedModelFileName = (name: string, sha256: string) => `${name}-${sha256.slice(0, 12)}.gguf`;
