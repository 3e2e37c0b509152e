import { Readable } from "node:stream";
import type { ExportFile } from "../../../model/exportSource.js";

/** An ExportFile over bytes in memory, delivered in chunks of the given sizes (cycled) to probe boundaries. */
export function memoryExportFile(
  path: string,
  bytes: Buffer | string,
  chunkSizes: number[] = [65536],
): ExportFile {
  const data = typeof bytes === "string" ? Buffer.from(bytes) : bytes;
  return {
    path,
    label: `memory!/${path}`,
    size: data.length,
    open: async () => Readable.from(chunks(data, chunkSizes), { objectMode: false }),
  };
}

function* chunks(data: Buffer, sizes: number[]): Generator<Buffer> {
  let at = 0;
  let i = 0;
  while (at < data.length) {
    const size = Math.max(1, sizes[i++ % sizes.length] ?? 1);
    yield data.subarray(at, at + size);
    at += size;
  }
}
