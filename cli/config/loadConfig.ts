import { readFile } from "node:fs/promises";
import type { z } from "zod";
import { EXTRA_BASE_MODELS_ENV } from "../../trainer-gateway/baseModels.js";
import { type PlatformConfig, platformConfigSchema } from "./platformConfig.js";

export const ENV_PREFIX = "AICLONE_";

/** `AICLONE_*` variables that name a file and are not configuration keys. */
const NOT_KEYS = new Set([`${ENV_PREFIX}CONFIG`, EXTRA_BASE_MODELS_ENV]);

/** A configuration problem, naming the key and where its value came from. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

type Tree = Record<string, unknown>;

const camel = (segment: string) =>
  segment.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * `AICLONE_API__PORT=4001` → `api.port`; `AICLONE_EVENT_STORE__KIND` → `eventStore.kind`: `__` nests,
 * `_` inside a segment is camel-cased. `AICLONE_CONFIG` names the file and `AICLONE_EXTRA_BASE_MODELS` the
 * base-model registry's extra entries (trainer-gateway/baseModels.ts): neither is a key.
 */
export function configFromEnv(env: NodeJS.ProcessEnv): { tree: Tree; sources: Map<string, string> } {
  const tree: Tree = {};
  const sources = new Map<string, string>();
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || value === undefined || NOT_KEYS.has(name)) continue;
    const path = name.slice(ENV_PREFIX.length).split("__").map(camel);
    let node = tree;
    for (const segment of path.slice(0, -1)) {
      const child = node[segment];
      const next = (typeof child === "object" && child !== null ? child : {}) as Tree;
      node[segment] = next;
      node = next;
    }
    node[path.at(-1) as string] = value;
    sources.set(path.join("."), `environment variable ${name}`);
  }
  return { tree, sources };
}

function merge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    const bothObjects =
      typeof value === "object" &&
      value !== null &&
      !Array.isArray(value) &&
      typeof current === "object" &&
      current !== null;
    out[key] = bothObjects ? merge(current as Tree, value as Tree) : value;
  }
  return out;
}

function describe(issue: z.core.$ZodIssue, sources: Map<string, string>, file: string | undefined): string {
  const key = issue.path.join(".") || "<root>";
  const keys =
    issue.code === "unrecognized_keys"
      ? issue.keys.map((k) => (key === "<root>" ? k : `${key}.${k}`))
      : [key];
  // An issue deep inside a value (`roles.1`) came from the variable that set the value (`roles`).
  const sourceOf = (k: string) => {
    const parts = k.split(".");
    for (let n = parts.length; n > 0; n--) {
      const found = sources.get(parts.slice(0, n).join("."));
      if (found) return found;
    }
    return undefined;
  };
  const where =
    keys.map(sourceOf).find(Boolean) ?? (file ? `the config file ${file} or a default` : "a default");
  return `${keys.join(", ")}: ${issue.message} (from ${where})`;
}

/** Defaults, then the JSON file (if any), then `AICLONE_*` variables; throws ConfigError naming the first bad key. */
export async function loadPlatformConfig(
  options: { file?: string | undefined; env?: NodeJS.ProcessEnv } = {},
): Promise<PlatformConfig> {
  const env = options.env ?? process.env;
  const file = options.file ?? env[`${ENV_PREFIX}CONFIG`];
  let fromFile: Tree = {};
  if (file) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw new ConfigError(`cannot read the config file ${file}: ${(error as Error).message}`);
    }
    try {
      fromFile = JSON.parse(text) as Tree;
    } catch (error) {
      throw new ConfigError(`the config file ${file} is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof fromFile !== "object" || fromFile === null || Array.isArray(fromFile))
      throw new ConfigError(`the config file ${file} must hold a JSON object`);
  }
  const fromEnv = configFromEnv(env);
  const result = platformConfigSchema.safeParse(merge(fromFile, fromEnv.tree));
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${describe(issue, fromEnv.sources, file)}`);
    throw new ConfigError(`invalid configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}
