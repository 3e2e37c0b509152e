/**
 * The pinecone plugin's `VectorStore`: vectors (with their text and source as metadata) in a hosted Pinecone
 * index, and a local SQLite file with the same chunks under FTS5 for the full-text ranking, the manifest and
 * the settings the index was built with.
 */
import { createHash } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type {
  ChunkHit,
  Embeddings,
  FileChunks,
  IndexedFile,
  PluginContext,
  StoredChunk,
  VectorStore,
} from "@aiclone/plugin-sdk";
import { type Index, Pinecone, type PineconeRecord } from "@pinecone-database/pinecone";
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

const DELETE_BATCH = 1000;

/**
 * A vector id: a short hash of the path, then the chunk id. The path part makes two copies of one file distinct
 * and lets every vector of a file be listed by id prefix, whatever version of the file wrote it.
 */
export const pathPrefix = (path: string) =>
  `${createHash("sha256").update(path).digest("hex").slice(0, 16)}#`;
const vectorId = (chunk: StoredChunk) => `${pathPrefix(chunk.path)}${chunk.chunkId}`;

export class PineconeVectorStore implements VectorStore {
  readonly hasVectors = true;
  /** Each file is written as soon as it is read: its new vectors, then its old ones deleted. */
  readonly writeBatch = 0;
  private vectors: Index<ChunkMetadata> | undefined;
  private local: LocalFullText | undefined;
  private readonly embeddings: Embeddings;

  constructor(private readonly context: PluginContext<PineconeConfig>) {
    if (context.embeddings === null) {
      throw new Error(
        "the pinecone plugin needs an embedding model: set `embeddings` in clone.json (a local transformers folder or a GGUF embedding model), or use the lancedb plugin, which works on full-text alone",
      );
    }
    this.embeddings = context.embeddings;
  }

  async open(): Promise<void> {
    this.vectors = await this.connect();
    const { config, dataDir, logger } = this.context;
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
    if (JSON.stringify(stored) === JSON.stringify(settings)) return;
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

  /** Describes the index (checking its dimension and metric) and returns the namespace's data plane. */
  private async connect(): Promise<Index<ChunkMetadata>> {
    const { config, logger } = this.context;
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
    return client
      .index<ChunkMetadata>({ name: config.indexName, host: described.host })
      .namespace(config.namespace);
  }

  async close(): Promise<void> {
    this.local?.close();
    this.local = undefined;
    this.vectors = undefined;
  }

  private opened(): { index: Index<ChunkMetadata>; local: LocalFullText } {
    if (!this.vectors || !this.local) throw new Error("the pinecone plugin is not started");
    return { index: this.vectors, local: this.local };
  }

  async files(): Promise<Record<string, IndexedFile>> {
    return this.opened().local.files();
  }

  /** Every vector id of a file, from Pinecone itself (so vectors a crashed run left behind are found too). */
  private async vectorIdsOf(path: string): Promise<string[]> {
    const { index } = this.opened();
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
    const { index } = this.opened();
    for (let at = 0; at < ids.length; at += DELETE_BATCH) {
      await index.deleteMany({ ids: ids.slice(at, at + DELETE_BATCH) });
    }
  }

  async writeFiles(files: FileChunks[]): Promise<void> {
    for (const file of files) await this.writeFile(file);
  }

  private async writeFile({ document, chunks }: FileChunks): Promise<void> {
    const { index, local } = this.opened();
    const { upsertBatch } = this.context.config;
    const records = chunks.map(
      (chunk): PineconeRecord<ChunkMetadata> => ({
        id: vectorId(chunk),
        values: chunk.vector as number[],
        metadata: {
          text: chunk.text,
          path: chunk.path,
          locator: chunk.locator ?? "",
          sha256: document.sha256,
          ordinal: chunk.ordinal,
        },
      }),
    );
    // New vectors first, then the old version's leftovers: a query never finds the file missing.
    for (let at = 0; at < records.length; at += upsertBatch) {
      await index.upsert({ records: records.slice(at, at + upsertBatch) });
    }
    const current = new Set(records.map((r) => r.id));
    await this.deleteVectors((await this.vectorIdsOf(document.path)).filter((id) => !current.has(id)));
    local.replaceFile(
      document.path,
      document.sha256,
      chunks.map((chunk) => ({
        vectorId: vectorId(chunk),
        chunkId: chunk.chunkId,
        path: chunk.path,
        locator: chunk.locator,
        text: chunk.text,
      })),
    );
  }

  async removeFiles(paths: string[], signal?: AbortSignal): Promise<void> {
    const { local } = this.opened();
    for (const path of paths) {
      signal?.throwIfAborted();
      await this.deleteVectors(await this.vectorIdsOf(path));
      local.removeFile(path);
    }
  }

  async settle(): Promise<void> {}

  async nearest(vector: number[], limit: number): Promise<ChunkHit[]> {
    const { index } = this.opened();
    const response = await index.query({ vector, topK: limit, includeMetadata: true });
    return response.matches.flatMap(({ id, metadata }) =>
      metadata
        ? [
            {
              chunkId: id.slice(id.indexOf("#") + 1),
              path: metadata.path,
              locator: metadata.locator || null,
              text: metadata.text,
            },
          ]
        : [],
    );
  }

  async fullText(query: string, limit: number): Promise<ChunkHit[]> {
    return this.opened().local.search(query, limit);
  }
}
