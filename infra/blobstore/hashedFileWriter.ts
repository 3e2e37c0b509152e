/** Streams a body into a new file while counting and hashing it, so nothing is held in memory. */
import { type FileHandle, open } from "node:fs/promises";
import { type Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { BodyMeter } from "./bodyMeter.js";

export interface HashedFile {
  size: number;
  sha256: string;
}

export interface HashedFileOptions {
  /** Only for the error message. */
  key: string;
  maxBytes?: number;
  signal?: AbortSignal;
}

/** A single write may be short (a full disk, a signal); loop until every byte is down. */
async function writeFully(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  for (let offset = 0; offset < bytes.byteLength; ) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.byteLength - offset);
    offset += bytesWritten;
  }
}

/**
 * A sink that writes through a handle it does not own and fsyncs before reporting success. Not
 * `handle.createWriteStream()`: that either closes the handle (no fsync afterwards) or, with autoClose
 * off, never emits "close", and pipeline then never settles.
 */
function fileSink(handle: FileHandle): Writable {
  return new Writable({
    write(chunk: Uint8Array, _encoding, callback) {
      writeFully(handle, chunk).then(() => callback(), callback);
    },
    final(callback) {
      handle.sync().then(() => callback(), callback);
    },
  });
}

/**
 * Writes `body` to `path` (which must not exist) and fsyncs it. Fails with ArtifactTooLargeError on
 * the first chunk past `maxBytes`, without reading the rest. On failure the partial file stays for the
 * caller to remove: it owns the path.
 */
export async function writeHashedFile(
  body: Readable | AsyncIterable<Uint8Array>,
  path: string,
  options: HashedFileOptions,
): Promise<HashedFile> {
  const meter = new BodyMeter(options.key, options.maxBytes);
  async function* metered(source: AsyncIterable<unknown>): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) yield meter.add(chunk);
  }
  const handle = await open(path, "wx");
  try {
    await pipeline(
      body,
      metered,
      fileSink(handle),
      options.signal === undefined ? {} : { signal: options.signal },
    );
  } finally {
    await handle.close();
  }
  return { size: meter.size, sha256: meter.sha256() };
}
