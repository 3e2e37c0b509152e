/**
 * Retrieval over the person's documents with a hosted Pinecone index: vectors (with their text and source as
 * metadata) live in Pinecone, a local SQLite FTS5 table keeps the same chunks for the full-text ranking and
 * the manifest for incremental indexing. The two rankings are fused by reciprocal rank.
 */
import { createHash } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type Index, Pinecone, type PineconeRecord } from "@pinecone-database/pinecone";
import type {
  DocumentChunk,
  DocumentScan,
  Embeddings,
  IndexReport,
  Passage,
  PluginContext,
  RagPlugin,
} from "../../runtime/plugin/pluginApi.js";
import { planIndex, reciprocalRankFusion } from "../../runtime/plugin/pluginKit.js";
import { LocalFullText } from "./localFullText.js";
import type { PineconeConfig } from "./pineconeConfig.js";

/** What each vector carries, so a match can be cited without the local file. */
type ChunkMetadata = {
  text: string;
  path: string;
  locator: string;
  sha256: string;
  ordinal: number;
};

const EMBED_BATCH = 32;
const DELETE_BATCH = 1000;
const CANDIDATES_PER_PASSAGE = 4;

/**
 * A vector id: a short hash of the path, then the chunk id. The path part makes two copies of one file distinct
 * and lets every vector of a file be listed by id prefix, whatever version of the file wrote it.
 */
export const pathPrefix = (path: string) =>
  `${createHash("sha256").update(path).digest("hex").slice(0, 16)}#`;
const vectorId = (chunk: DocumentChunk) => `${pathPrefix(chunk.path)}${chunk.chunkId}`;

export class PineconeRag implements RagPlugin {
  private vectors: Index<ChunkMetadata> | undefined;
  private local: LocalFullText | undefined;
  private readonly embeddings: Embeddings;
  private indexing: Promise<unknown> = Promise.resolve();

  constructor(private readonly context: PluginContext<PineconeConfig>) {
    if (context.embeddings === null) {
      throw new Error(
        "the pinecone plugin needs an embedding model: set `embeddings` in clone.json (a local transformers folder or a GGUF embedding model), or use the lancedb plugin, which works on full-text alone",
      );
    }
    this.embeddings = context.embeddings;
  }

  async start(): Promise<void> {
    const { config, dataDir, logger } = this.context;
    const client = new Pinecone({
      apiKey: config.apiKey,
      ...(config.controllerHostUrl ? { controllerHostUrl: config.controllerHostUrl } : {}),
    });
    const described = await client.describeIndex(config.indexName).catch((error: unknown) => {
      throw new Error(
        `pinecone index ${config.indexName} cannot be described: ${error instanceof Error ? error.message : error}`,
        { cause: error },
      );
    });
    if (described.dimension !== undefined && described.dimension !== this.embeddings.dimensions) {
      throw new Error(
        `pinecone index ${config.indexName} has dimension ${described.dimension}, but the embedding model ${this.embeddings.model} gives ${this.embeddings.dimensions}`,
      );
    }
    if (described.metric !== "cosine") {
      logger.warn({ metric: described.metric }, "the pinecone index does not use the cosine metric");
    }
    this.vectors = client
      .index<ChunkMetadata>({ name: config.indexName, host: described.host })
      .namespace(config.namespace);

    await mkdir(dataDir, { recursive: true });
    this.local = new LocalFullText(join(dataDir, "pinecone-fulltext.sqlite"));
    const settings = {
      embeddingModel: this.embeddings.model,
      index: config.indexName,
      namespace: config.namespace,
    };
    const stored = {
      embeddingModel: this.local.setting("embeddingModel"),
      index: this.local.setting("index"),
      namespace: this.local.setting("namespace"),
    };
    if (JSON.stringify(stored) !== JSON.stringify(settings)) {
      if (stored.embeddingModel !== undefined) {
        logger.info({ was: stored, now: settings }, "embedding model or index changed: rebuilding the index");
      }
      // Vectors of another model cannot be compared with this one's: the namespace starts empty.
      if (
        stored.embeddingModel !== undefined &&
        stored.index === settings.index &&
        stored.namespace === settings.namespace
      ) {
        await this.vectors.deleteAll();
      }
      this.local.reset(settings);
    }
  }

  async stop(): Promise<void> {
    await this.indexing.catch(() => undefined);
    this.local?.close();
    this.local = undefined;
    this.vectors = undefined;
  }

  private open(): { index: Index<ChunkMetadata>; local: LocalFullText } {
    if (!this.vectors || !this.local) throw new Error("the pinecone plugin is not started");
    return { index: this.vectors, local: this.local };
  }

  index(options: Parameters<RagPlugin["index"]>[0] = {}): Promise<IndexReport> {
    const run = this.indexing.then(() => this.indexNow(options));
    this.indexing = run.catch(() => undefined);
    return run;
  }

  /** Every vector id of a file, from Pinecone itself (so vectors a crashed run left behind are found too). */
  private async vectorIdsOf(path: string): Promise<string[]> {
    const { index } = this.open();
    const ids: string[] = [];
    let paginationToken: string | undefined;
    do {
      const page = await index.listPaginated({ prefix: pathPrefix(path), limit: 100, paginationToken });
      for (const v of page.vectors ?? []) if (v.id) ids.push(v.id);
      paginationToken = page.pagination?.next;
    } while (paginationToken);
    return ids;
  }

  private async deleteVectors(ids: string[]): Promise<void> {
    const { index } = this.open();
    for (let at = 0; at < ids.length; at += DELETE_BATCH) {
      await index.deleteMany({ ids: ids.slice(at, at + DELETE_BATCH) });
    }
  }

  private async scan(): Promise<DocumentScan> {
    const { documents, config } = this.context;
    return documents.scan
      ? documents.scan(config.documentsDir)
      : { documents: await documents.list(config.documentsDir), skipped: [] };
  }

  private async indexNow({
    signal,
    onProgress,
  }: Parameters<RagPlugin["index"]>[0] = {}): Promise<IndexReport> {
    const { index, local } = this.open();
    const { documents, config, logger } = this.context;
    const scan = await this.scan();
    const plan = planIndex(scan.documents, local.files());
    const skipped = [...scan.skipped];
    let chunks = 0;
    let unreadable = 0;

    for (const path of plan.removed) {
      signal?.throwIfAborted();
      await this.deleteVectors(await this.vectorIdsOf(path));
      local.removeFile(path);
    }

    let done = 0;
    onProgress?.(0, plan.toIndex.length);
    for (const document of plan.toIndex) {
      signal?.throwIfAborted();
      let fileChunks: DocumentChunk[];
      try {
        fileChunks = await documents.chunks(config.documentsDir, document);
      } catch (error) {
        skipped.push({ path: document.path, reason: error instanceof Error ? error.message : String(error) });
        unreadable++;
        await this.deleteVectors(await this.vectorIdsOf(document.path));
        local.removeFile(document.path);
        onProgress?.(++done, plan.toIndex.length);
        continue;
      }
      const records: PineconeRecord<ChunkMetadata>[] = [];
      for (let at = 0; at < fileChunks.length; at += EMBED_BATCH) {
        signal?.throwIfAborted();
        const batch = fileChunks.slice(at, at + EMBED_BATCH);
        const vectors = await this.embeddings.embed(
          batch.map((c) => c.text),
          signal,
        );
        batch.forEach((chunk, i) => {
          records.push({
            id: vectorId(chunk),
            values: vectors[i] as number[],
            metadata: {
              text: chunk.text,
              path: chunk.path,
              locator: chunk.locator ?? "",
              sha256: document.sha256,
              ordinal: chunk.ordinal,
            },
          });
        });
      }
      // New vectors first, then the old version's leftovers: a query never finds the file missing.
      for (let at = 0; at < records.length; at += config.upsertBatch) {
        await index.upsert({ records: records.slice(at, at + config.upsertBatch) });
      }
      const current = new Set(records.map((r) => r.id));
      await this.deleteVectors((await this.vectorIdsOf(document.path)).filter((id) => !current.has(id)));
      local.replaceFile(
        document.path,
        document.sha256,
        fileChunks.map((chunk) => ({
          vectorId: vectorId(chunk),
          chunkId: chunk.chunkId,
          path: chunk.path,
          locator: chunk.locator ?? null,
          text: chunk.text,
        })),
      );
      chunks += fileChunks.length;
      onProgress?.(++done, plan.toIndex.length);
    }

    const report: IndexReport = {
      files: scan.documents.length,
      indexedFiles: plan.toIndex.length - unreadable,
      unchangedFiles: plan.unchanged.length,
      removedFiles: plan.removed.length,
      chunks,
      skipped,
    };
    logger.info({ ...report, skipped: skipped.length }, "index updated");
    return report;
  }

  async retrieve(query: string, options: { limit?: number } = {}): Promise<Passage[]> {
    const { index, local } = this.open();
    const { config } = this.context;
    const limit = options.limit ?? config.chunkLimit;
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`retrieve: limit must be a positive integer, got ${limit}`);
    const text = query.trim();
    if (text === "") return [];
    const candidates = Math.max(limit * CANDIDATES_PER_PASSAGE, 20);

    const fullText = config.hybridWeight < 1 ? local.search(text, candidates) : [];
    let matches: { id: string; metadata?: ChunkMetadata }[] = [];
    if (config.hybridWeight > 0) {
      const [vector] = await this.embeddings.embed([text]);
      const response = await index.query({
        vector: vector as number[],
        topK: candidates,
        includeMetadata: true,
      });
      matches = response.matches;
    }
    type Hit = { chunkId: string; path: string; locator: string | null; text: string };
    const fromMatch = (m: { id: string; metadata?: ChunkMetadata }): Hit | undefined =>
      m.metadata
        ? {
            chunkId: m.id.slice(m.id.indexOf("#") + 1),
            path: m.metadata.path,
            locator: m.metadata.locator || null,
            text: m.metadata.text,
          }
        : undefined;
    const fused = reciprocalRankFusion<Hit>([
      { items: fullText.map((c) => ({ key: c.vectorId, value: c })), weight: 1 - config.hybridWeight },
      {
        items: matches.flatMap((m) => {
          const hit = fromMatch(m);
          return hit ? [{ key: m.id, value: hit }] : [];
        }),
        weight: config.hybridWeight,
      },
    ]);
    return fused.slice(0, limit).map(({ value, score }) => {
      const hit = value as Hit;
      return {
        text: hit.text,
        source: hit.locator ? `${hit.path}#${hit.locator}` : hit.path,
        score,
        chunkId: hit.chunkId,
      };
    });
  }
}
