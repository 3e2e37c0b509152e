import { createReadStream, statSync } from "node:fs";
import { basename } from "node:path";
import { Readable } from "node:stream";
import type { ExportFile } from "../../../model/exportSource.js";
import { memoryFile } from "../../json/test/memoryFile.js";

/** A loose file on disk as an ExportFile (the archive module provides the real one). */
export function exportFileFromPath(path: string, label = path): ExportFile {
  return {
    path: basename(path),
    label,
    size: statSync(path).size,
    open: async () => createReadStream(path),
  };
}

/** Bytes or text in memory as an ExportFile, split into chunks of `chunkSize` to exercise boundaries. */
export function exportFileFromBytes(
  content: string | Uint8Array,
  label = "inline.json",
  chunkSize = 64 * 1024,
): ExportFile {
  return memoryFile(content, chunkSize, label);
}

/** A file produced on demand by a generator, so a huge export never exists as one string or buffer. */
export function exportFileFromGenerator(make: () => Iterable<string>, label = "generated.json"): ExportFile {
  return {
    path: label,
    label,
    size: Number.NaN,
    open: async () => Readable.from(encode(make()), { objectMode: false }),
  };
}

function* encode(parts: Iterable<string>): Generator<Buffer> {
  // Batch small parts into ~64 KB buffers, like a file stream delivers them.
  let batch: string[] = [];
  let length = 0;
  for (const part of parts) {
    batch.push(part);
    length += part.length;
    if (length >= 64 * 1024) {
      yield Buffer.from(batch.join(""), "utf8");
      batch = [];
      length = 0;
    }
  }
  if (batch.length > 0) yield Buffer.from(batch.join(""), "utf8");
}
