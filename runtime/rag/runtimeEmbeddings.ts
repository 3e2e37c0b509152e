import type { Embeddings } from "@aiclone/plugin-sdk";

/** An Embeddings the runtime owns: it frees the model when the runtime stops. */
export interface RuntimeEmbeddings extends Embeddings {
  close(): Promise<void>;
}
