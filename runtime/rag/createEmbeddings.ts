/** Opens the embedding model the configuration names, or none: RAG then uses full-text search alone. */
import type { Llama } from "node-llama-cpp";
import { embeddingsConfigSchema } from "./embeddingsConfig.js";
import { GgufEmbeddings } from "./ggufEmbeddings.js";
import type { RuntimeEmbeddings } from "./runtimeEmbeddings.js";
import { TransformersEmbeddings } from "./transformersEmbeddings.js";

export async function createEmbeddings(
  config: unknown,
  shared?: { llama?: Llama },
): Promise<RuntimeEmbeddings | null> {
  const parsed = embeddingsConfigSchema.safeParse(config ?? null);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `embeddings${issue.path.map((p) => `.${String(p)}`).join("")}: ${issue.message}`,
    );
    throw new Error(`invalid embeddings configuration: ${issues.join("; ")}`);
  }
  const valid = parsed.data;
  if (valid === null) return null;
  return valid.kind === "gguf" ? GgufEmbeddings.open(valid, shared) : TransformersEmbeddings.open(valid);
}
