/**
 * The index manifest in a plugin's storage, for a `VectorStore` with no place of its own for it (lancedb):
 * each file's content hash and chunk count, and the settings the store was built with (embedding model,
 * stemming). A different setting means a rebuild: vectors
 * of two models cannot be compared, and a tokenizer change invalidates the full-text index.
 */
import { z } from "zod";
import type { PluginStorage } from "../pluginApi.js";

export const MANIFEST_KEY = "index-manifest";

const manifestSchema = z.object({
  version: z.literal(1),
  embeddingModel: z.string().nullable(),
  dimensions: z.number().int().positive().nullable(),
  stemming: z.string().nullable(),
  files: z.record(z.string(), z.object({ sha256: z.string(), chunks: z.number().int().min(0) })),
});

export type IndexManifest = z.infer<typeof manifestSchema>;
export type IndexSettings = Pick<IndexManifest, "embeddingModel" | "dimensions" | "stemming">;

export const emptyManifest = (settings: IndexSettings): IndexManifest => ({
  version: 1,
  ...settings,
  files: {},
});

export const sameSettings = (a: IndexSettings, b: IndexSettings) =>
  a.embeddingModel === b.embeddingModel && a.dimensions === b.dimensions && a.stemming === b.stemming;

/** The stored manifest; undefined when there is none or it is unreadable (the index is then rebuilt). */
export async function loadManifest(storage: PluginStorage): Promise<IndexManifest | undefined> {
  const parsed = manifestSchema.safeParse(await storage.get(MANIFEST_KEY));
  return parsed.success ? parsed.data : undefined;
}

export function saveManifest(storage: PluginStorage, manifest: IndexManifest): Promise<void> {
  return storage.set(MANIFEST_KEY, manifest);
}
