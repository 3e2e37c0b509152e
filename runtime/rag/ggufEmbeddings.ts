/**
 * Embeddings from a GGUF model through node-llama-cpp's embedding context. Vectors are L2-normalised, so
 * plugins can use cosine or dot product alike. One context embeds one text at a time: calls are queued.
 */

import { stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { basename } from "node:path";
import { getLlama, type Llama, type LlamaEmbeddingContext, type LlamaModel } from "node-llama-cpp";
import type { GgufEmbeddingsConfig } from "./embeddingsConfig.js";
import type { RuntimeEmbeddings } from "./runtimeEmbeddings.js";
import { normalised } from "./vectorNormalization.js";

export class GgufEmbeddings implements RuntimeEmbeddings {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly model: string,
    readonly dimensions: number,
    private readonly llamaModel: LlamaModel,
    private readonly context: LlamaEmbeddingContext,
    private readonly contextSize: number,
    /** Disposed on close only when this instance created it. */
    private readonly ownLlama: Llama | undefined,
  ) {}

  /** Loads the model; pass the runtime's Llama to share its backend instead of starting another. */
  static async open(config: GgufEmbeddingsConfig, shared?: { llama?: Llama }): Promise<GgufEmbeddings> {
    let size: number;
    try {
      const info = await stat(config.modelPath);
      if (!info.isFile()) throw new Error("not a file");
      size = info.size;
    } catch (error) {
      throw new Error(
        `embeddings.modelPath: cannot open the GGUF embedding model ${config.modelPath}: ${error instanceof Error ? error.message : error}`,
      );
    }
    const ownLlama = shared?.llama ? undefined : await getLlama({ gpu: config.gpu });
    const llama = shared?.llama ?? (ownLlama as Llama);
    try {
      const llamaModel = await llama.loadModel({ modelPath: config.modelPath });
      const contextSize = Math.min(config.contextSize, llamaModel.trainContextSize);
      const threads = config.threads ?? Math.max(1, availableParallelism() - 1);
      const context = await llamaModel.createEmbeddingContext({
        contextSize,
        batchSize: contextSize,
        threads,
      });
      // The file name and size identify the model well enough to notice a swap, without hashing gigabytes.
      const id = `gguf:${basename(config.modelPath)}:${size}`;
      return new GgufEmbeddings(
        id,
        llamaModel.embeddingVectorSize,
        llamaModel,
        context,
        contextSize,
        ownLlama,
      );
    } catch (error) {
      await ownLlama?.dispose();
      throw new Error(
        `embeddings.modelPath: cannot load ${config.modelPath} as an embedding model: ${error instanceof Error ? error.message : error}`,
        { cause: error },
      );
    }
  }

  embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const run = this.queue.then(() => this.embedNow(texts, signal));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async embedNow(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const vectors: number[][] = [];
    for (const text of texts) {
      signal?.throwIfAborted();
      if (this.closed) throw new Error("the embedding model was closed");
      // Too long a text would overflow the context: keep its beginning (a chunk is far shorter anyway), with
      // room for the begin and end tokens the context adds.
      const tokens = this.llamaModel.tokenize(text === "" ? " " : text).slice(0, this.contextSize - 3);
      const { vector } = await this.context.getEmbeddingFor(tokens);
      vectors.push(normalised(vector));
    }
    return vectors;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.context.dispose();
    await this.llamaModel.dispose();
    await this.ownLlama?.dispose();
  }
}
