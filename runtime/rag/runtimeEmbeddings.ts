import type { Embeddings } from "../plugin/pluginApi.js";

/** An Embeddings the runtime owns: it frees the model when the runtime stops. */
export interface RuntimeEmbeddings extends Embeddings {
  close(): Promise<void>;
}
