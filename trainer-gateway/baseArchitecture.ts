import { BaseModelError } from "./baseModels.js";

/**
 * Base-model architectures whose LoRA adapters the trainer exports to GGUF and llama.cpp applies, each
 * verified end to end by cli/test/architectureParity.int.test.ts. The trainer's own list is
 * SUPPORTED_ARCHS in trainer/aiclone_trainer/gguf_export.py; the two must agree.
 */
export const SUPPORTED_ARCHITECTURES: readonly string[] = ["llama", "qwen2", "qwen3"];

/** `general.architecture` of a GGUF file, read from its header alone (the tensors are not touched). */
export async function ggufArchitecture(path: string): Promise<string> {
  // Loaded on first use: node-llama-cpp is large, and most commands never read a GGUF.
  const { readGgufFileInfo } = await import("node-llama-cpp");
  let architecture: unknown;
  try {
    const info = await readGgufFileInfo(path, {
      readTensorInfo: false,
      logWarnings: false,
      sourceType: "filesystem",
      // The vocabulary is most of a header; it is not needed here.
      ignoreKeys: [
        "tokenizer.ggml.tokens",
        "tokenizer.ggml.scores",
        "tokenizer.ggml.token_type",
        "tokenizer.ggml.merges",
      ],
    });
    architecture = info.metadata?.general?.architecture;
  } catch (error) {
    throw new BaseModelError(`base model ${path}: not a readable GGUF file (${(error as Error).message})`);
  }
  if (typeof architecture !== "string" || architecture === "")
    throw new BaseModelError(`base model ${path}: its GGUF header has no general.architecture`);
  return architecture;
}

/** Refuses, before any training starts, a base whose architecture adapters cannot be made for. */
export async function assertSupportedArchitecture(path: string): Promise<string> {
  const architecture = await ggufArchitecture(path);
  if (!SUPPORTED_ARCHITECTURES.includes(architecture))
    throw new BaseModelError(
      `base model ${path}: architecture '${architecture}' is not supported for training; ` +
        `supported: ${SUPPORTED_ARCHITECTURES.join(", ")}`,
    );
  return architecture;
}
