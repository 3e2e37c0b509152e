/**
 * Which embedding model the runtime uses, from the bundle's configuration. Both kinds read local files only:
 * nothing is downloaded at run time.
 */
import { z } from "zod";

export const transformersEmbeddingsConfigSchema = z.object({
  kind: z.literal("transformers"),
  /** A model folder in the Hugging Face layout: config.json, tokenizer files and onnx/model*.onnx. */
  modelDir: z.string().min(1),
  /** Which ONNX weights to load (onnx/model.onnx for fp32, model_quantized.onnx for q8, …). */
  dtype: z.enum(["fp32", "fp16", "q8", "int8", "uint8", "q4", "bnb4", "q4f16"]).default("fp32"),
  batchSize: z.number().int().min(1).max(256).default(16),
});

export const ggufEmbeddingsConfigSchema = z.object({
  kind: z.literal("gguf"),
  /** A GGUF file of an embedding model (any llama.cpp model gives vectors; one trained for it gives good ones). */
  modelPath: z.string().min(1),
  /** The longest text embedded, in tokens; longer texts are cut. */
  contextSize: z.number().int().min(64).max(32768).default(2048),
  /** CPU threads; by default one core is left to the chat engine. */
  threads: z.number().int().min(1).max(256).optional(),
  /** "auto" uses a GPU when there is one. */
  gpu: z.union([z.literal("auto"), z.literal(false)]).default("auto"),
});

export const embeddingsConfigSchema = z
  .discriminatedUnion("kind", [transformersEmbeddingsConfigSchema, ggufEmbeddingsConfigSchema])
  .nullable();

export type TransformersEmbeddingsConfig = z.infer<typeof transformersEmbeddingsConfigSchema>;
export type GgufEmbeddingsConfig = z.infer<typeof ggufEmbeddingsConfigSchema>;
export type EmbeddingsConfig = z.infer<typeof embeddingsConfigSchema>;
export type EmbeddingsConfigInput = z.input<typeof embeddingsConfigSchema>;
