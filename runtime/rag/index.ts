/** What the runtime host uses from RAG: the document reader and the embedding models it injects into plugins. */
export { createEmbeddings } from "./createEmbeddings.js";
export {
  type EmbeddingsConfig,
  type EmbeddingsConfigInput,
  embeddingsConfigSchema,
} from "./embeddingsConfig.js";
export { type DocumentReaderOptions, FileDocumentReader } from "./fileDocumentReader.js";
export { RagIndexer, type RagIndexerConfig } from "./indexer/ragIndexer.js";
export type { RuntimeEmbeddings } from "./runtimeEmbeddings.js";
export { type ChunkingOptions, chunkText, DEFAULT_CHUNKING } from "./textChunker.js";
