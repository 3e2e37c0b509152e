import { createReadStream, statSync } from "node:fs";
import { basename } from "node:path";
import { Readable } from "node:stream";
import type { ExportFile } from "../../../model/exportSource.js";

/** A loose file on disk as an ExportFile; `path` is the name inside the export (the base name by default). */
export function fileFromPath(path: string, exportPath = basename(path)): ExportFile {
  return {
    path: exportPath,
    label: path,
    size: statSync(path).size,
    open: async () => createReadStream(path),
  };
}

/** In-memory bytes, delivered in chunks of `chunkSize` so chunk boundaries fall inside lines and characters. */
export function fileFromBytes(bytes: Buffer | string, path = "_chat.txt", chunkSize = 64 * 1024): ExportFile {
  const buf = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes;
  return {
    path,
    label: `mem:${path}`,
    size: buf.length,
    open: async () =>
      Readable.from(
        (function* () {
          for (let i = 0; i < buf.length; i += chunkSize) yield buf.subarray(i, i + chunkSize);
        })(),
      ),
  };
}

/** A file streamed from a generator, never held whole in memory. */
export function fileFromChunks(chunks: () => Iterable<Buffer>, size: number, path = "_chat.txt"): ExportFile {
  return { path, label: `gen:${path}`, size, open: async () => Readable.from(chunks()) };
}
