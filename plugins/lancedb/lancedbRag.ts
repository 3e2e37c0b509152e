/**
 * Retrieval over the person's documents with an embedded LanceDB: incremental indexing by content hash and
 * hybrid search, a full-text ranking and (with an embedding model) a vector ranking fused by reciprocal rank.
 */
import { mkdir } from "node:fs/promises";
import type {
  DocumentChunk,
  DocumentScan,
  IndexReport,
  Passage,
  PluginContext,
  RagPlugin,
  SourceDocument,
} from "../../runtime/plugin/pluginApi.js";
import { planIndex, reciprocalRankFusion } from "../../runtime/plugin/pluginKit.js";
import { type ChunkRow, ChunkTable } from "./chunkTable.js";
import {
  emptyManifest,
  type IndexManifest,
  type IndexSettings,
  loadManifest,
  sameSettings,
  saveManifest,
} from "./indexManifest.js";
import { type LancedbConfig, type StemmingLanguage, stemmingLanguage } from "./lancedbConfig.js";
import { searchText } from "./searchText.js";

/** Texts per embedding call. */
const EMBED_BATCH = 32;
/** Rows written per table add: fewer, larger writes keep LanceDB's fragments few. */
const FLUSH_ROWS = 4096;
/** Candidates each ranking contributes to the fusion, per passage asked for. */
const CANDIDATES_PER_PASSAGE = 4;

interface PendingFile {
  document: SourceDocument;
  rows: ChunkRow[];
}

export class LancedbRag implements RagPlugin {
  private table: ChunkTable | undefined;
  private manifest: IndexManifest | undefined;
  private readonly settings: IndexSettings;
  private readonly stemming: StemmingLanguage | null;
  /** Index runs one at a time; a second call waits for the first. */
  private indexing: Promise<unknown> = Promise.resolve();

  constructor(private readonly context: PluginContext<LancedbConfig>) {
    const { embeddings, config, clone } = context;
    this.stemming = stemmingLanguage(config.stemming, clone.language);
    this.settings = {
      embeddingModel: embeddings?.model ?? null,
      dimensions: embeddings?.dimensions ?? null,
      stemming: this.stemming,
    };
  }

  private get indexDir(): string {
    return this.context.config.indexDir ?? this.context.dataDir;
  }

  async start(): Promise<void> {
    const { storage, logger } = this.context;
    await mkdir(this.indexDir, { recursive: true });
    const stored = await loadManifest(storage);
    const rebuild = stored === undefined || !sameSettings(stored, this.settings);
    if (stored && rebuild) {
      logger.info(
        { was: { ...stored, files: undefined }, now: this.settings },
        "index settings changed (embedding model or stemming): rebuilding the index",
      );
    }
    this.table = await ChunkTable.open(
      this.indexDir,
      { dimensions: this.settings.dimensions, stemming: this.stemming },
      rebuild,
    );
    this.manifest = rebuild ? emptyManifest(this.settings) : stored;
    if (rebuild) await saveManifest(storage, this.manifest as IndexManifest);
  }

  async stop(): Promise<void> {
    await this.indexing.catch(() => undefined);
    this.table?.close();
    this.table = undefined;
  }

  index(options: Parameters<RagPlugin["index"]>[0] = {}): Promise<IndexReport> {
    const run = this.indexing.then(() => this.indexNow(options));
    this.indexing = run.catch(() => undefined);
    return run;
  }

  private open(): { table: ChunkTable; manifest: IndexManifest } {
    if (!this.table || !this.manifest) throw new Error("the lancedb plugin is not started");
    return { table: this.table, manifest: this.manifest };
  }

  private async scan(): Promise<DocumentScan> {
    const { documents } = this.context;
    const folder = this.context.config.documentsDir;
    return documents.scan ? documents.scan(folder) : { documents: await documents.list(folder), skipped: [] };
  }

  private async indexNow({
    signal,
    onProgress,
  }: Parameters<RagPlugin["index"]>[0] = {}): Promise<IndexReport> {
    const { table, manifest } = this.open();
    const { storage, logger, embeddings, documents, config } = this.context;
    const started = performance.now();
    const scan = await this.scan();
    const plan = planIndex(scan.documents, manifest.files);
    const skipped = [...scan.skipped];
    let chunks = 0;
    let unreadable = 0;
    let changed = plan.removed.length > 0;

    if (plan.removed.length > 0) {
      await table.deleteFiles(plan.removed);
      for (const path of plan.removed) delete manifest.files[path];
      await saveManifest(storage, manifest);
    }

    let pending: PendingFile[] = [];
    let pendingRows = 0;
    const flush = async () => {
      if (pending.length === 0) return;
      const rows = pending.flatMap((file) => file.rows);
      // Only files the index held before have rows to replace: a first run deletes nothing.
      await table.replaceFiles(
        pending.filter((file) => manifest.files[file.document.path]).map((file) => file.document.path),
        rows,
      );
      for (const { document, rows: fileRows } of pending) {
        manifest.files[document.path] = { sha256: document.sha256, chunks: fileRows.length };
      }
      await saveManifest(storage, manifest);
      await table.ensureFullTextIndex();
      pending = [];
      pendingRows = 0;
      changed = true;
    };

    let done = 0;
    const total = plan.toIndex.length;
    onProgress?.(0, total);
    try {
      for (const document of plan.toIndex) {
        signal?.throwIfAborted();
        let fileChunks: DocumentChunk[];
        try {
          fileChunks = await documents.chunks(config.documentsDir, document);
        } catch (error) {
          skipped.push({
            path: document.path,
            reason: error instanceof Error ? error.message : String(error),
          });
          unreadable++;
          // Whatever an older version of the file put in the index is no longer true.
          if (manifest.files[document.path]) {
            await table.deleteFiles([document.path]);
            delete manifest.files[document.path];
            await saveManifest(storage, manifest);
            changed = true;
          }
          onProgress?.(++done, total);
          continue;
        }
        const vectors = embeddings ? await embedAll(embeddings, fileChunks, signal) : undefined;
        const rows = fileChunks.map((chunk, i): ChunkRow => {
          const row: ChunkRow = {
            chunk_id: chunk.chunkId,
            path: chunk.path,
            sha256: document.sha256,
            ordinal: chunk.ordinal,
            locator: chunk.locator ?? null,
            text: chunk.text,
            search_text: searchText(chunk.text),
          };
          if (vectors) row.vector = vectors[i] as number[];
          return row;
        });
        pending.push({ document, rows });
        pendingRows += rows.length;
        chunks += rows.length;
        if (pendingRows >= FLUSH_ROWS) await flush();
        onProgress?.(++done, total);
      }
    } finally {
      // What was read before an abort or a failure is kept: the next run starts from there.
      await flush();
      if (changed) await table.refreshIndexes();
    }

    const report: IndexReport = {
      files: scan.documents.length,
      indexedFiles: plan.toIndex.length - unreadable,
      unchangedFiles: plan.unchanged.length,
      removedFiles: plan.removed.length,
      chunks,
      skipped,
    };
    logger.info(
      { ...report, skipped: skipped.length, ms: Math.round(performance.now() - started) },
      "index updated",
    );
    return report;
  }

  async retrieve(query: string, options: { limit?: number } = {}): Promise<Passage[]> {
    const { table } = this.open();
    const { embeddings, config } = this.context;
    const limit = options.limit ?? config.chunkLimit;
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`retrieve: limit must be a positive integer, got ${limit}`);
    const text = query.trim();
    if (text === "") return [];
    const candidates = Math.max(limit * CANDIDATES_PER_PASSAGE, 20);
    const useVectors = embeddings !== null && table.hasVectors && config.hybridWeight > 0;
    const [fullText, nearest] = await Promise.all([
      config.hybridWeight < 1 || !useVectors ? table.fullText(searchText(text), candidates) : [],
      useVectors
        ? embeddings.embed([text]).then(([vector]) => table.nearest(vector as number[], candidates))
        : [],
    ]);
    // Two files with the same content share chunk ids: the path keeps them apart.
    const key = (hit: { path: string; chunkId: string }) => `${hit.path}\u0000${hit.chunkId}`;
    const fused = reciprocalRankFusion([
      {
        items: fullText.map((hit) => ({ key: key(hit), value: hit })),
        weight: useVectors ? 1 - config.hybridWeight : 1,
      },
      {
        items: nearest.map((hit) => ({ key: key(hit), value: hit })),
        weight: useVectors ? config.hybridWeight : 0,
      },
    ]);
    return fused.slice(0, limit).map(({ value, score }) => {
      const hit = value as NonNullable<typeof value>;
      return {
        text: hit.text,
        source: hit.locator ? `${hit.path}#${hit.locator}` : hit.path,
        score,
        chunkId: hit.chunkId,
      };
    });
  }
}

async function embedAll(
  embeddings: NonNullable<PluginContext["embeddings"]>,
  chunks: DocumentChunk[],
  signal: AbortSignal | undefined,
): Promise<number[][]> {
  const vectors: number[][] = [];
  for (let at = 0; at < chunks.length; at += EMBED_BATCH) {
    signal?.throwIfAborted();
    const batch = chunks.slice(at, at + EMBED_BATCH).map((chunk) => chunk.text);
    const batchVectors = await embeddings.embed(batch, signal);
    if (
      batchVectors.length !== batch.length ||
      batchVectors.some((v) => v.length !== embeddings.dimensions)
    ) {
      throw new Error(
        `embedding model ${embeddings.model} returned ${batchVectors.length} vectors for ${batch.length} texts, or vectors not of ${embeddings.dimensions} dimensions`,
      );
    }
    vectors.push(...batchVectors);
  }
  return vectors;
}
