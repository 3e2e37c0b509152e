/**
 * Embeddings from a local Hugging Face model folder (ONNX, through @huggingface/transformers): mean pooling
 * over the tokens, then L2 normalisation, as sentence-transformers models expect. Remote models are switched
 * off: a missing file is an error naming it, never a download.
 */
import { readdir, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import type { TransformersEmbeddingsConfig } from "./embeddingsConfig.js";
import type { RuntimeEmbeddings } from "./runtimeEmbeddings.js";

/** What a feature-extraction pipeline returns: a tensor of [texts, dimensions]. */
interface FeatureTensor {
  dims: number[];
  tolist(): number[][];
}
type FeatureExtractor = ((
  texts: string[],
  options: { pooling: "mean"; normalize: boolean },
) => Promise<FeatureTensor>) & { dispose(): Promise<void> };

const fail = (modelDir: string, what: string) =>
  new Error(
    `embeddings.modelDir: ${modelDir} ${what} (expected a Hugging Face model folder with ONNX weights)`,
  );

/** Checks the folder before the library does, so the error says what is missing in words. */
async function checkModelFolder(modelDir: string): Promise<void> {
  const isFolder = await stat(modelDir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isFolder) throw fail(modelDir, "does not exist or is not a folder");
  const has = (path: string) =>
    stat(join(modelDir, path)).then(
      (s) => s.isFile(),
      () => false,
    );
  if (!(await has("config.json"))) throw fail(modelDir, "has no config.json");
  if (!(await has("tokenizer.json"))) throw fail(modelDir, "has no tokenizer.json");
  const onnx = await readdir(join(modelDir, "onnx")).catch(() => [] as string[]);
  if (!onnx.some((name) => name.endsWith(".onnx"))) throw fail(modelDir, "has no onnx/*.onnx weights");
}

/**
 * Loaded on demand: onnxruntime is heavy (~450 MB) and only this kind of embeddings needs it, so it is an
 * optional dependency of the runtime that the installer adds only for a bundle that asks for it.
 */
async function loadTransformers(): Promise<typeof import("@huggingface/transformers")> {
  try {
    return await import("@huggingface/transformers");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ERR_MODULE_NOT_FOUND") throw error;
    throw new Error(
      'embeddings.kind "transformers" needs @huggingface/transformers, which is not installed beside the runtime: run the install command again (it adds it for a bundle that asks for it), or `npm install @huggingface/transformers` in the runtime folder',
    );
  }
}

export class TransformersEmbeddings implements RuntimeEmbeddings {
  private closed = false;

  private constructor(
    readonly model: string,
    readonly dimensions: number,
    private readonly extractor: FeatureExtractor,
    private readonly batchSize: number,
  ) {}

  static async open(config: TransformersEmbeddingsConfig): Promise<TransformersEmbeddings> {
    const modelDir = resolve(config.modelDir);
    await checkModelFolder(modelDir);
    const { env, pipeline } = await loadTransformers();
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = `${dirname(modelDir)}/`;
    let extractor: FeatureExtractor;
    try {
      extractor = (await pipeline("feature-extraction", basename(modelDir), {
        local_files_only: true,
        dtype: config.dtype,
      })) as unknown as FeatureExtractor;
    } catch (error) {
      throw new Error(
        `embeddings.modelDir: cannot load ${modelDir}: ${error instanceof Error ? error.message : error}`,
        { cause: error },
      );
    }
    const probe = await extractor(["dimension probe"], { pooling: "mean", normalize: true });
    const dimensions = probe.dims.at(-1);
    if (dimensions === undefined || probe.dims.length !== 2) {
      await extractor.dispose();
      throw fail(modelDir, `gives outputs of shape [${probe.dims.join(", ")}], not [texts, dimensions]`);
    }
    const id = `transformers:${basename(modelDir)}:${config.dtype}`;
    return new TransformersEmbeddings(id, dimensions, extractor, config.batchSize);
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let at = 0; at < texts.length; at += this.batchSize) {
      signal?.throwIfAborted();
      if (this.closed) throw new Error("the embedding model was closed");
      const batch = texts.slice(at, at + this.batchSize).map((text) => (text === "" ? " " : text));
      const output = await this.extractor(batch, { pooling: "mean", normalize: true });
      vectors.push(...output.tolist());
    }
    return vectors;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.extractor.dispose();
  }
}
