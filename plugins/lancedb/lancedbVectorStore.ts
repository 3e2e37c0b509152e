/**
 * The lancedb plugin's `VectorStore`: an embedded LanceDB table of chunks (text, a search form of it under a
 * full-text index and, with an embedding model, a vector) and the index manifest in the plugin's storage.
 * A change of embedding model or stemming drops the table and the manifest.
 */
import { mkdir } from "node:fs/promises";
import type { PluginContext } from "@aiclone/plugin-sdk";
import {
  type ChunkHit,
  emptyManifest,
  type FileChunks,
  type IndexedFile,
  type IndexManifest,
  type IndexSettings,
  type KeyRankings,
  loadManifest,
  sameSettings,
  saveManifest,
  type VectorStore,
} from "@aiclone/plugin-sdk";
import { type ChunkRow, ChunkTable } from "./chunkTable.js";
import { type LancedbConfig, type StemmingLanguage, stemmingLanguage } from "./lancedbConfig.js";
import { searchText } from "./searchText.js";

/** Rows written per table add: fewer, larger writes keep LanceDB's fragments few. */
const FLUSH_ROWS = 4096;
/** Writes and deletes before the table is compacted whatever their size (LanceDB's advice: about 20). */
const COMPACT_AFTER_OPERATIONS = 20;

export class LancedbVectorStore implements VectorStore {
  readonly writeBatch = FLUSH_ROWS;
  private table: ChunkTable | undefined;
  private manifest: IndexManifest | undefined;
  private readonly settings: IndexSettings;
  private readonly stemming: StemmingLanguage | null;
  /** Rows written or deleted since the table was last compacted and its indexes brought up to date. */
  private changed = { rows: 0, operations: 0 };

  constructor(private readonly context: PluginContext<LancedbConfig>) {
    const { embeddings, config, clone } = context;
    this.stemming = stemmingLanguage(config.stemming, clone.language);
    this.settings = {
      embeddingModel: embeddings?.model ?? null,
      dimensions: embeddings?.dimensions ?? null,
      stemming: this.stemming,
    };
  }

  get hasVectors(): boolean {
    return this.settings.dimensions !== null;
  }

  private get indexDir(): string {
    return this.context.config.indexDir ?? this.context.dataDir;
  }

  async open(): Promise<void> {
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
      {
        dimensions: this.settings.dimensions,
        stemming: this.stemming,
        vectorIndex: this.context.config.vectorIndex,
      },
      rebuild,
    );
    this.manifest = rebuild ? emptyManifest(this.settings) : stored;
    if (rebuild) await saveManifest(storage, this.manifest as IndexManifest);
  }

  async close(): Promise<void> {
    this.table?.close();
    this.table = undefined;
  }

  private opened(): { table: ChunkTable; manifest: IndexManifest } {
    if (!this.table || !this.manifest) throw new Error("the lancedb plugin is not started");
    return { table: this.table, manifest: this.manifest };
  }

  async files(): Promise<Record<string, IndexedFile>> {
    return { ...this.opened().manifest.files };
  }

  async writeFiles(files: FileChunks[]): Promise<void> {
    const { table, manifest } = this.opened();
    const rows = files.flatMap(({ document, chunks }) =>
      chunks.map((chunk): ChunkRow => {
        const row: ChunkRow = {
          chunk_id: chunk.chunkId,
          path: chunk.path,
          sha256: document.sha256,
          ordinal: chunk.ordinal,
          locator: chunk.locator,
          text: chunk.text,
          search_text: searchText(chunk.text),
        };
        if (chunk.vector) row.vector = chunk.vector;
        return row;
      }),
    );
    // Only files the index held before have rows to replace: a first run deletes nothing.
    await table.replaceFiles(
      files.filter(({ document }) => manifest.files[document.path]).map(({ document }) => document.path),
      rows,
    );
    for (const { document, chunks } of files) {
      manifest.files[document.path] = { sha256: document.sha256, chunks: chunks.length };
    }
    await saveManifest(this.context.storage, manifest);
    await table.ensureFullTextIndex();
    this.changed.rows += rows.length;
    this.changed.operations += 1;
  }

  async removeFiles(paths: string[]): Promise<void> {
    const { table, manifest } = this.opened();
    const held = paths.filter((path) => manifest.files[path]);
    if (held.length === 0) return;
    await table.deleteFiles(held);
    for (const path of held) {
      this.changed.rows += manifest.files[path]?.chunks ?? 0;
      delete manifest.files[path];
    }
    await saveManifest(this.context.storage, manifest);
    this.changed.operations += 1;
  }

  /**
   * After an index run: compacts the table and brings its indexes up to date once enough rows changed (a few
   * changed rows are searched unindexed, so editing one file does not rewrite a large table).
   */
  async settle(): Promise<void> {
    const { rows, operations } = this.changed;
    if (rows < this.context.config.compactAfterRows && operations < COMPACT_AFTER_OPERATIONS) return;
    this.changed = { rows: 0, operations: 0 };
    await this.opened().table.refreshIndexes();
  }

  nearest(vector: number[], limit: number): Promise<ChunkHit[]> {
    return this.opened().table.nearest(vector, limit);
  }

  fullText(query: string, limit: number): Promise<ChunkHit[]> {
    return this.opened().table.fullText(searchText(query), limit);
  }

  /**
   * Both rankings as row ids, concurrently (the full-text one does not wait for the embedding), read from the
   * indexes alone; the caller then reads the text of the few rows it keeps in one go.
   */
  async rankKeys(
    query: string | null,
    vector: Promise<number[]> | null,
    limit: number,
  ): Promise<KeyRankings> {
    const { table } = this.opened();
    const [fullText, nearest] = await Promise.all([
      query === null ? [] : table.fullTextKeys(searchText(query), limit),
      vector === null ? [] : vector.then((v) => table.nearestKeys(v, limit)),
    ]);
    return { fullText, nearest, hits: (keys) => table.hitsByKey(keys) };
  }
}
