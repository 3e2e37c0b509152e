/**
 * The port a vector-store plugin implements: where the chunks of the person's documents, their vectors and the
 * manifest of indexed files live. The runtime's indexer (`ragIndexer.ts`) does the rest: scan the folder,
 * plan what changed, chunk, embed, write through this port, and fuse the full-text and vector rankings.
 */
import type { SourceDocument } from "./pluginApi.js";

/** What the store holds of one file: its content hash and how many chunks it became. */
export interface IndexedFile {
  sha256: string;
  chunks: number;
}

/** One chunk as the indexer writes it: `vector` is there when the runtime has an embedding model. */
export interface StoredChunk {
  chunkId: string;
  path: string;
  /** The content hash of the file the chunk came from. */
  sha256: string;
  ordinal: number;
  locator: string | null;
  text: string;
  vector?: number[];
}

/** A chunk a search found, best first. */
export interface ChunkHit {
  chunkId: string;
  path: string;
  locator: string | null;
  text: string;
}

/**
 * Both rankings of one query as keys only, best first, and a loader for the few hits the caller keeps after
 * fusing them (see `VectorStore.rankKeys`). A key names one chunk of one file within this answer.
 */
export interface KeyRankings {
  fullText: string[];
  nearest: string[];
  /** The hit for each key of these rankings, in the order given; undefined where its chunk is gone. */
  hits(keys: string[]): Promise<(ChunkHit | undefined)[]>;
}

/** Every chunk of one file, as read now. */
export interface FileChunks {
  document: SourceDocument;
  chunks: StoredChunk[];
}

export interface VectorStore {
  /** Whether the store keeps vectors (and `nearest` can find anything). */
  readonly hasVectors: boolean;
  /**
   * Chunks the indexer gathers before one `writeFiles` call (fewer, larger writes for an embedded table);
   * 0 writes each file as soon as it is read.
   */
  readonly writeBatch: number;
  /** Connects, and empties the store when the settings it was built with changed. */
  open(): Promise<void>;
  close(): Promise<void>;
  /** The manifest: each file the store holds, with its content hash and chunk count. */
  files(): Promise<Record<string, IndexedFile>>;
  /**
   * Replaces every chunk of each file with the given ones (none left from an older version of the file)
   * and records the files in the manifest; a file with no chunks is recorded with 0.
   */
  writeFiles(files: FileChunks[]): Promise<void>;
  /** Deletes every chunk of these files and forgets them; a path it does not hold is passed over. */
  removeFiles(paths: string[], signal?: AbortSignal): Promise<void>;
  /** Called when an index run ends, aborted or not: a store may bring its indexes up to date here. */
  settle(): Promise<void>;
  /** The chunks nearest to a vector (cosine); none when the store keeps no vectors. */
  nearest(vector: number[], limit: number): Promise<ChunkHit[]>;
  /** A keyword (BM25) ranking of the chunks for a query as the person typed it. */
  fullText(query: string, limit: number): Promise<ChunkHit[]>;
  /**
   * Since API 1.3.0. Optional, for a store where reading chunks' text is a round trip of its own (an embedded table): both
   * rankings without the text, `limit` keys each — full-text for `query` (skipped when null) and nearest to
   * `vector` once it resolves (skipped when null) — so the caller fuses them and loads only the hits it keeps.
   */
  rankKeys?(query: string | null, vector: Promise<number[]> | null, limit: number): Promise<KeyRankings>;
}
