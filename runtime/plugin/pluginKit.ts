/**
 * Helpers of the plugin SDK, beside the interface (pluginApi.ts): what several plugins need and must not
 * copy from one another, since plugins never import each other. A RAG plugin is a `VectorStore` adapter
 * handed to the runtime's `RagIndexer`, which scans, plans, chunks, embeds, writes and fuses.
 */

export {
  emptyManifest,
  type IndexManifest,
  type IndexSettings,
  loadManifest,
  MANIFEST_KEY,
  sameSettings,
  saveManifest,
} from "../rag/indexer/indexManifest.js";
export { type IndexedFile, type IndexPlan, planIndex } from "../rag/indexer/indexPlan.js";
export { RagIndexer, type RagIndexerConfig } from "../rag/indexer/ragIndexer.js";
export {
  type FusedItem,
  type RankedList,
  reciprocalRankFusion,
} from "../rag/indexer/reciprocalRankFusion.js";
export type { ChunkHit, FileChunks, StoredChunk, VectorStore } from "../rag/indexer/vectorStore.js";
export { ConversationQueue } from "./kit/conversationQueue.js";
export { splitMessage } from "./kit/messageSplitter.js";
