import type { ExportFile } from "../model/exportSource.js";

export const HEAD_BYTES = 64 * 1024;

/** The first bytes of a file, for format sniffing; the stream is destroyed so nothing more is inflated. */
export async function readHead(file: ExportFile, bytes: number = HEAD_BYTES): Promise<Buffer> {
  const stream = await file.open();
  const parts: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      parts.push(buffer);
      length += buffer.length;
      if (length >= bytes) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, bytes);
}
