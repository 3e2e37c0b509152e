/**
 * The bundle format: `clone.json` in a bundle folder, next to the adapter GGUF. This is the one definition
 * of it; the platform's publisher imports it from here (never the reverse), so what the platform writes is
 * what the runtime reads. A new incompatible format gets a new `schemaVersion`. Unknown fields are
 * refused (a typo such as "adaptor" must not be silently ignored); plugin configs are the plugins' own.
 */
import { z } from "zod";
import { embeddingsConfigSchema } from "../rag/embeddingsConfig.js";

export const CLONE_BUNDLE_SCHEMA_VERSION = 1;
export const CLONE_MANIFEST_FILE = "clone.json";

/** A file name inside the bundle folder: no folders, so a bundle cannot point outside itself. */
const bundleFileName = z
  .string()
  .min(1)
  .refine((name) => !/[/\\]/.test(name) && name !== "." && name !== "..", {
    message: "expected a file name inside the bundle folder, without folders",
  });

const sha256Hex = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, { message: "expected 64 hex characters" })
  .transform((hex) => hex.toLowerCase());

const httpUrl = z.url({ protocol: /^https?$/, message: "expected an http(s) URL" });

export const baseModelSchema = z
  .strictObject({
    /** Human name of the base model, e.g. "qwen2.5-7b-instruct-q4_k_m"; also the cache file's stem. */
    name: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[\w.+-]+$/, { message: "expected letters, digits, '.', '_', '+' or '-'" }),
    /** Where the GGUF is downloaded from on first run; null when the file is local (`path`). */
    url: httpUrl.nullable(),
    /** A local GGUF used instead of downloading: absolute, or relative to the bundle folder. */
    path: z.string().min(1).optional(),
    sha256: sha256Hex,
    /** node-llama-cpp chat wrapper name ("llama3.1", "chatML", "gemma", …) or "auto" (from the GGUF). */
    chatTemplate: z.string().min(1).default("auto"),
  })
  .refine((model) => model.url !== null || model.path !== undefined, {
    message: "needs a url to download from, or a local path",
    path: ["url"],
  });

export const personaSchema = z.strictObject({
  displayName: z.string().trim().min(1).max(200),
  systemPrompt: z.string().max(20_000),
  /** BCP 47 language tag of the persona ("ru", "en"): the language of the runtime's own prompt text. */
  language: z
    .string()
    .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, { message: "expected a language tag such as 'ru' or 'en'" })
    .default("en"),
});

/**
 * Sampling a clone starts with, chosen by measurement (docs/sampling.md: a sweep on a SmolLM2 clone, style
 * against variety of replies).
 */
export const DEFAULT_GENERATION = {
  temperature: 0.5,
  topP: 0.9,
  repeatPenalty: 1.15,
  maxTokens: 512,
  contextSize: 4096,
} as const;

export const generationDefaultsSchema = z.strictObject({
  temperature: z.number().min(0).max(2).default(DEFAULT_GENERATION.temperature),
  topP: z.number().gt(0).max(1).default(DEFAULT_GENERATION.topP),
  /** Penalty on tokens already used in the reply; 1 turns it off. */
  repeatPenalty: z.number().min(1).max(2).default(DEFAULT_GENERATION.repeatPenalty),
  maxTokens: z.number().int().positive().max(32_768).default(DEFAULT_GENERATION.maxTokens),
  /** Tokens each conversation's context holds (prompt + reply). */
  contextSize: z.number().int().min(128).max(1_048_576).default(DEFAULT_GENERATION.contextSize),
});

export const bundlePluginSchema = z
  .strictObject({
    name: z
      .string()
      .min(1)
      .regex(/^[a-z0-9][\w.-]*$/i, { message: "expected a plugin name (letters, digits, '.', '_', '-')" }),
    /** A third-party plugin's module: absolute, or relative to the bundle folder. */
    path: z.string().min(1).optional(),
    /** A third-party plugin published as an npm package (installed where the runtime runs). */
    package: z.string().min(1).optional(),
    enabled: z.boolean().default(true),
    config: z.record(z.string(), z.unknown()).default({}),
  })
  .refine((plugin) => !(plugin.path !== undefined && plugin.package !== undefined), {
    message: "give either path or package, not both",
    path: ["package"],
  });

export const cloneBundleSchema = z
  .strictObject({
    schemaVersion: z.literal(CLONE_BUNDLE_SCHEMA_VERSION, {
      message: `expected ${CLONE_BUNDLE_SCHEMA_VERSION} (this runtime reads bundle format ${CLONE_BUNDLE_SCHEMA_VERSION})`,
    }),
    clone: z.strictObject({
      id: z.string().min(1).max(200),
      version: z.number().int().positive(),
      /** The platform's adapter version the bundle carries (its training run), when the publisher names it. */
      adapterVersion: z.number().int().positive().optional(),
    }),
    baseModel: baseModelSchema,
    /** The LoRA adapter GGUF, a file in the bundle folder; absent for a bare base model. */
    adapter: bundleFileName.optional(),
    persona: personaSchema,
    generation: generationDefaultsSchema.default(DEFAULT_GENERATION),
    plugins: z.array(bundlePluginSchema).default([]),
    /** The embedding model for RAG (a local ONNX folder or GGUF); null: full-text search alone. */
    embeddings: embeddingsConfigSchema.default(null),
  })
  .superRefine((bundle, ctx) => {
    const seen = new Set<string>();
    bundle.plugins.forEach((plugin, index) => {
      if (seen.has(plugin.name))
        ctx.addIssue({
          code: "custom",
          message: `duplicate plugin name '${plugin.name}'`,
          path: ["plugins", index, "name"],
        });
      seen.add(plugin.name);
    });
  });

/** `clone.json` as written (defaults may be left out). */
export type CloneBundleInput = z.input<typeof cloneBundleSchema>;
/** `clone.json` after validation, with defaults filled in. */
export type CloneBundleManifest = z.output<typeof cloneBundleSchema>;
export type BundlePluginEntry = CloneBundleManifest["plugins"][number];
export type GenerationDefaults = CloneBundleManifest["generation"];
export type Persona = CloneBundleManifest["persona"];
export type BaseModelEntry = CloneBundleManifest["baseModel"];
