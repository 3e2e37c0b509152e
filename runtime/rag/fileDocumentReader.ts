/** The runtime's DocumentReader: the person's md, txt and pdf files, chunked the same way for every RAG plugin. */

import { createHash } from "node:crypto";
import { readFile, realpath } from "node:fs/promises";
import { join } from "node:path";
import type { DocumentChunk, DocumentReader, DocumentScan, SourceDocument } from "@aiclone/plugin-sdk";
import { formatOf, sectionsOf } from "./documentFormats.js";
import {
  DEFAULT_MAX_FILE_BYTES,
  documentsRoot,
  type HashCache,
  isInside,
  scanDocuments,
} from "./documentScanner.js";
import { type ChunkingOptions, chunkSections, DEFAULT_CHUNKING } from "./textChunker.js";

export interface DocumentReaderOptions {
  /** Larger files are left out of the index (reported as skipped). */
  maxFileBytes?: number;
  chunking?: Partial<ChunkingOptions>;
}

export class FileDocumentReader implements DocumentReader {
  private readonly maxFileBytes: number;
  private readonly chunking: ChunkingOptions;
  /** Hashes of the last scan, so an unchanged file is not read again (see `HashCache`). */
  private readonly hashes: HashCache = new Map();

  constructor(options: DocumentReaderOptions = {}) {
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    if (!Number.isSafeInteger(this.maxFileBytes) || this.maxFileBytes <= 0) {
      throw new RangeError(`documents.maxFileBytes must be a positive integer, got ${options.maxFileBytes}`);
    }
    this.chunking = { ...DEFAULT_CHUNKING, ...options.chunking };
  }

  scan(folder: string): Promise<DocumentScan> {
    return scanDocuments(folder, this.maxFileBytes, this.hashes);
  }

  async list(folder: string): Promise<SourceDocument[]> {
    return (await this.scan(folder)).documents;
  }

  async chunks(folder: string, document: SourceDocument): Promise<DocumentChunk[]> {
    const { path } = document;
    try {
      const format = formatOf(path);
      if (format === undefined) throw new Error("not a supported format (md, markdown, txt, pdf)");
      const root = await documentsRoot(folder);
      // The path comes from a plugin: it must not lead out of the folder (through .. or a link).
      const file = await realpath(join(root, path));
      if (!isInside(root, file)) throw new Error("it lies outside the documents folder");
      const bytes = await readFile(file);
      if (bytes.length > this.maxFileBytes) {
        throw new Error(`${bytes.length} bytes, over the ${this.maxFileBytes}-byte limit`);
      }
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      if (sha256 !== document.sha256) {
        throw new Error("it changed since it was listed; index again");
      }
      const pieces = chunkSections(await sectionsOf(format, bytes), this.chunking);
      return pieces.map((piece, ordinal) => ({
        chunkId: `${sha256}:${ordinal}`,
        path,
        ordinal,
        text: piece.text,
        ...(piece.locator === undefined ? {} : { locator: piece.locator }),
      }));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`cannot read document ${path}: ${reason}`, { cause: error });
    }
  }
}
