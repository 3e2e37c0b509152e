/**
 * The RAG engine every RAG plugin shares: incremental indexing of the documents folder by content hash into a
 * `VectorStore`, and hybrid retrieval, a full-text ranking and (with an embedding model) a vector ranking
 * fused by reciprocal rank. A plugin supplies the store; this class is the `RagPlugin` it returns.
 */
import type {
  ChunkHit,
  DocumentChunk,
  DocumentScan,
  Embeddings,
  FileChunks,
  IndexReport,
  KeyRankings,
  Passage,
  PluginContext,
  RagPlugin,
  SourceDocument,
  StoredChunk,
  VectorStore,
} from "@aiclone/plugin-sdk";
import { planIndex } from "./indexPlan.js";
import { reciprocalRankFusion } from "./reciprocalRankFusion.js";

/** Texts per embedding call. */
const EMBED_BATCH = 32;
/** Candidates each ranking contributes to the fusion, per passage asked for. */
const CANDIDATES_PER_PASSAGE = 4;

/** The part of a RAG plugin's config the indexer reads. */
export interface RagIndexerConfig {
  documentsDir: string;
  chunkLimit: number;
  /** Share of the vector ranking in the fusion (0 = full-text only, 1 = vectors only). */
  hybridWeight: number;
}

type IndexOptions = Parameters<RagPlugin["index"]>[0];

/** What one index run has done so far. */
interface RunState {
  skipped: IndexReport["skipped"];
  chunks: number;
  unreadable: number;
}

export class RagIndexer implements RagPlugin {
  private started = false;
  /** Index runs one at a time; a second call waits for the first. */
  private indexing: Promise<unknown> = Promise.resolve();

  /** `name` is the plugin's, for errors. */
  constructor(
    private readonly name: string,
    private readonly context: PluginContext<RagIndexerConfig>,
    private readonly store: VectorStore,
  ) {}

  async start(): Promise<void> {
    try {
      await this.store.open();
    } catch (error) {
      // What the store opened before it failed (a local file) is closed; the error is the one to see.
      await this.store.close().catch(() => undefined);
      throw error;
    }
    this.started = true;
  }

  async stop(): Promise<void> {
    await this.indexing.catch(() => undefined);
    if (!this.started) return;
    this.started = false;
    await this.store.close();
  }

  index(options: IndexOptions = {}): Promise<IndexReport> {
    const run = this.indexing.then(() => this.indexNow(options));
    this.indexing = run.catch(() => undefined);
    return run;
  }

  private open(): VectorStore {
    if (!this.started) throw new Error(`the ${this.name} plugin is not started`);
    return this.store;
  }

  private async scan(): Promise<DocumentScan> {
    const { documents, config } = this.context;
    return documents.scan
      ? documents.scan(config.documentsDir)
      : { documents: await documents.list(config.documentsDir), skipped: [] };
  }

  private async indexNow({ signal, onProgress }: IndexOptions = {}): Promise<IndexReport> {
    const store = this.open();
    const started = performance.now();
    const scan = await this.scan();
    const plan = planIndex(scan.documents, await store.files());
    const state: RunState = { skipped: [...scan.skipped], chunks: 0, unreadable: 0 };
    if (plan.removed.length > 0) await store.removeFiles(plan.removed, signal);

    const writes = new PendingWrites(store);
    let done = 0;
    onProgress?.(0, plan.toIndex.length);
    try {
      for (const document of plan.toIndex) {
        signal?.throwIfAborted();
        const file = await this.readFile(document, state, signal);
        if (file) await writes.add(file);
        onProgress?.(++done, plan.toIndex.length);
      }
    } finally {
      // What was read before an abort or a failure is kept: the next run starts from there.
      await writes.flush();
      await store.settle();
    }

    const report: IndexReport = {
      files: scan.documents.length,
      indexedFiles: plan.toIndex.length - state.unreadable,
      unchangedFiles: plan.unchanged.length,
      removedFiles: plan.removed.length,
      chunks: state.chunks,
      skipped: state.skipped,
    };
    this.context.logger.info(
      { ...report, skipped: state.skipped.length, ms: Math.round(performance.now() - started) },
      "index updated",
    );
    return report;
  }

  /** Chunks and embeds one file; an unreadable one is reported, and what an older version left is deleted. */
  private async readFile(
    document: SourceDocument,
    state: RunState,
    signal: AbortSignal | undefined,
  ): Promise<FileChunks | undefined> {
    const { documents, embeddings, config } = this.context;
    let chunks: DocumentChunk[];
    try {
      chunks = await documents.chunks(config.documentsDir, document);
    } catch (error) {
      state.skipped.push({
        path: document.path,
        reason: error instanceof Error ? error.message : String(error),
      });
      state.unreadable++;
      // Whatever an older version of the file put in the index is no longer true.
      await this.store.removeFiles([document.path], signal);
      return undefined;
    }
    const vectors = embeddings ? await embedAll(embeddings, chunks, signal) : undefined;
    state.chunks += chunks.length;
    return {
      document,
      chunks: chunks.map((chunk, i): StoredChunk => {
        const stored: StoredChunk = {
          chunkId: chunk.chunkId,
          path: chunk.path,
          sha256: document.sha256,
          ordinal: chunk.ordinal,
          locator: chunk.locator ?? null,
          text: chunk.text,
        };
        if (vectors) stored.vector = vectors[i] as number[];
        return stored;
      }),
    };
  }

  async retrieve(query: string, options: { limit?: number } = {}): Promise<Passage[]> {
    const store = this.open();
    const { embeddings, config } = this.context;
    const limit = options.limit ?? config.chunkLimit;
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`retrieve: limit must be a positive integer, got ${limit}`);
    const text = query.trim();
    if (text === "") return [];
    const candidates = Math.max(limit * CANDIDATES_PER_PASSAGE, 20);
    const useVectors = embeddings !== null && store.hasVectors && config.hybridWeight > 0;
    const useFullText = config.hybridWeight < 1 || !useVectors;
    const vector = useVectors ? embeddings.embed([text]).then(([v]) => v as number[]) : null;
    const vectorWeight = useVectors ? config.hybridWeight : 0;
    if (store.rankKeys) {
      const rankings = await store.rankKeys(useFullText ? text : null, vector, candidates);
      const passages = await fuseKeys(rankings, vectorWeight, limit);
      // undefined: every hit kept was gone when read (the store compacted meanwhile): ask the plain way.
      if (passages) return passages;
    }
    const [fullText, nearest] = await Promise.all([
      useFullText ? store.fullText(text, candidates) : [],
      vector ? vector.then((v) => store.nearest(v, candidates)) : [],
    ]);
    return fuse(fullText, nearest, vectorWeight).slice(0, limit);
  }
}

const toPassage = (hit: ChunkHit, score: number): Passage => ({
  text: hit.text,
  source: hit.locator ? `${hit.path}#${hit.locator}` : hit.path,
  score,
  chunkId: hit.chunkId,
});

/**
 * Fuses two rankings of keys, then loads only the `limit` hits kept (one read for both rankings); undefined
 * when there were hits to keep and none could be read.
 */
async function fuseKeys(
  rankings: KeyRankings,
  vectorWeight: number,
  limit: number,
): Promise<Passage[] | undefined> {
  const fused = reciprocalRankFusion<never>([
    { items: rankings.fullText.map((key) => ({ key })), weight: 1 - vectorWeight },
    { items: rankings.nearest.map((key) => ({ key })), weight: vectorWeight },
  ]).slice(0, limit);
  if (fused.length === 0) return [];
  const hits = await rankings.hits(fused.map(({ key }) => key));
  if (hits.every((hit) => hit === undefined)) return undefined;
  return fused.flatMap(({ score }, i) => {
    const hit = hits[i];
    return hit ? [toPassage(hit, score)] : [];
  });
}

/** Weighted reciprocal rank fusion of the two rankings, as passages. */
function fuse(fullText: ChunkHit[], nearest: ChunkHit[], vectorWeight: number): Passage[] {
  // Two files with the same content share chunk ids: the path keeps them apart.
  const key = (hit: ChunkHit) => `${hit.path}\u0000${hit.chunkId}`;
  const fused = reciprocalRankFusion<ChunkHit>([
    { items: fullText.map((hit) => ({ key: key(hit), value: hit })), weight: 1 - vectorWeight },
    { items: nearest.map((hit) => ({ key: key(hit), value: hit })), weight: vectorWeight },
  ]);
  return fused.map(({ value, score }) => toPassage(value as ChunkHit, score));
}

/** Files read but not yet written: gathered up to the store's `writeBatch` chunks. */
class PendingWrites {
  private files: FileChunks[] = [];
  private chunks = 0;

  constructor(private readonly store: VectorStore) {}

  async add(file: FileChunks): Promise<void> {
    this.files.push(file);
    this.chunks += file.chunks.length;
    if (this.chunks >= this.store.writeBatch) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.files.length === 0) return;
    const files = this.files;
    this.files = [];
    this.chunks = 0;
    await this.store.writeFiles(files);
  }
}

async function embedAll(
  embeddings: Embeddings,
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
