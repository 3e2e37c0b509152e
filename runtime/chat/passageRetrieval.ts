/**
 * Retrieval for one turn: every running RAG plugin is asked at once, each within a time box; a slow or
 * failing one is skipped (and logged) rather than holding up the reply. Results merge by score.
 */
import type { Passage, RagPlugin } from "@aiclone/plugin-sdk";

export interface Retriever {
  name: string;
  plugin: RagPlugin;
  logger: { warn(fields: Record<string, unknown>, message: string): void };
}

export interface RetrievalOptions {
  /** Passages put into the prompt. Default 4. */
  limit?: number;
  /** Per plugin. Default 2000 ms. */
  timeoutMs?: number;
}

export async function retrievePassages(
  query: string,
  retrievers: readonly Retriever[],
  options: RetrievalOptions = {},
): Promise<Passage[]> {
  const limit = options.limit ?? 4;
  const timeoutMs = options.timeoutMs ?? 2000;
  if (!query.trim() || retrievers.length === 0) return [];
  const results = await Promise.all(
    retrievers.map(async (retriever) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        });
        const passages = await Promise.race([retriever.plugin.retrieve(query, { limit }), timeout]);
        return Array.isArray(passages) ? passages : [];
      } catch (error) {
        retriever.logger.warn({ err: error }, "retrieval skipped for this turn");
        return [];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const seen = new Set<string>();
  return results
    .flat()
    .filter((p) => typeof p?.text === "string" && Number.isFinite(p.score))
    .sort((a, b) => b.score - a.score)
    .filter((p) => {
      const key = `${p.source}\u0000${p.chunkId}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, limit);
}
