import { Readable } from "node:stream";
import type { ExportFile } from "../../../model/exportSource.js";

/** Bytes or text in memory as an ExportFile, delivered in chunks of `chunkSize` to probe chunk boundaries. */
export function memoryFile(
  content: string | Uint8Array,
  chunkSize = 64 * 1024,
  label = "mem.json",
): ExportFile {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
  return {
    path: label,
    label,
    size: bytes.length,
    open: async () => {
      const chunks: Buffer[] = [];
      for (let at = 0; at < bytes.length; at += chunkSize) chunks.push(bytes.subarray(at, at + chunkSize));
      return Readable.from(chunks, { objectMode: false });
    },
  };
}

/** A file made of parts produced on demand, so a huge value never exists as one string. */
export function generatedFile(make: () => Iterable<string>, label = "gen.json"): ExportFile {
  return {
    path: label,
    label,
    size: Number.NaN,
    open: async () =>
      Readable.from(
        (function* () {
          for (const part of make()) yield Buffer.from(part, "utf8");
        })(),
        { objectMode: false },
      ),
  };
}
