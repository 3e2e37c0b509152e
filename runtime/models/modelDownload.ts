/**
 * Downloads one file over HTTP(S) into `<target>.part`, resuming with `Range` after an interruption, and
 * renames it into place only once its sha256 matches: the final name never holds a partial or wrong file.
 */
import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, rename, rm, stat, statfs } from "node:fs/promises";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ModelUnavailableError } from "./modelErrors.js";

export interface DownloadProgress {
  /** Bytes of the file present so far (a resumed part counts). */
  receivedBytes: number;
  /** The file's size, when the server says. */
  totalBytes: number | undefined;
  resumedFromBytes: number;
}

export type StatFs = (path: string) => Promise<{ bavail: number | bigint; bsize: number | bigint }>;

export interface DownloadOptions {
  url: string;
  target: string;
  sha256: string;
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  /** Further tries after a dropped connection, each resuming where the last one stopped. Default 3. */
  retries?: number;
  retryDelayMs?: number;
  /** Free space kept on the disk beyond the file itself. Default 256 MiB. */
  reserveBytes?: number;
  /** Injected in tests to simulate a full disk. */
  statfs?: StatFs;
  fetch?: typeof fetch;
}

const MiB = 1024 * 1024;
const formatBytes = (n: number) =>
  n >= 1024 * MiB ? `${(n / 1024 / MiB).toFixed(2)} GiB` : `${(n / MiB).toFixed(1)} MiB`;

/** A failure worth another try (the connection dropped), as opposed to a wrong file or a full disk. */
class TransientDownloadError extends Error {}

async function hashExisting(path: string, hash: Hash): Promise<number> {
  const size = await stat(path).then(
    (info) => info.size,
    () => 0,
  );
  if (size > 0) for await (const chunk of createReadStream(path, { highWaterMark: MiB })) hash.update(chunk);
  return size;
}

async function assertFreeSpace(dir: string, needed: number, options: DownloadOptions): Promise<void> {
  const fs = await (options.statfs ?? statfs)(dir);
  const free = Number(fs.bavail) * Number(fs.bsize);
  const reserve = options.reserveBytes ?? 256 * MiB;
  if (free < needed + reserve)
    throw new ModelUnavailableError(
      `not enough free space in ${dir}: the model needs ${formatBytes(needed)} more (plus ${formatBytes(reserve)} reserve), ${formatBytes(free)} free`,
    );
}

/** `bytes 100-199/200` → 100 (the start), or undefined. */
function contentRangeStart(header: string | null): number | undefined {
  const match = header?.match(/^bytes (\d+)-\d+\/(\d+|\*)$/);
  return match ? Number(match[1]) : undefined;
}

async function attempt(options: DownloadOptions, part: string): Promise<void> {
  const hash = createHash("sha256");
  let offset = await hashExisting(part, hash);
  const headers: Record<string, string> = { "user-agent": "aiclone-runtime" };
  if (offset > 0) headers.range = `bytes=${offset}-`;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(options.url, {
      headers,
      signal: options.signal,
      redirect: "follow",
    });
  } catch (error) {
    options.signal?.throwIfAborted();
    throw new TransientDownloadError(
      `cannot reach ${options.url}: ${(error as Error).cause ?? (error as Error).message}`,
    );
  }
  if (response.status === 416 && offset > 0) {
    // The part is as long as the file or longer (the file changed on the server): start over.
    await response.body?.cancel();
    await rm(part, { force: true });
    throw new TransientDownloadError("the server refused to resume; starting over");
  }
  if (response.status !== 200 && response.status !== 206) {
    await response.body?.cancel();
    const retry = response.status >= 500 || response.status === 429;
    const message = `${options.url} answered HTTP ${response.status} ${response.statusText}`;
    throw retry ? new TransientDownloadError(message) : new ModelUnavailableError(message);
  }
  let append = false;
  if (response.status === 206) {
    const start = contentRangeStart(response.headers.get("content-range"));
    if (start !== offset) {
      await response.body?.cancel();
      await rm(part, { force: true });
      throw new TransientDownloadError(`the server resumed at byte ${start}, not ${offset}; starting over`);
    }
    append = true;
  }
  const resumedFromBytes = append ? offset : 0;
  // A server that ignores Range sends the whole file: the part and its hash start from zero.
  if (!append) offset = 0;
  const fileHash = append ? hash : createHash("sha256");
  const length = Number(response.headers.get("content-length") ?? Number.NaN);
  const totalBytes = Number.isFinite(length) ? resumedFromBytes + length : undefined;
  if (Number.isFinite(length))
    await assertFreeSpace(dirname(part), length, options).catch(async (error) => {
      await response.body?.cancel();
      throw error;
    });

  const file = await open(part, append ? "a" : "w");
  let received = offset;
  try {
    options.onProgress?.({ receivedBytes: received, totalBytes, resumedFromBytes });
    if (!response.body) throw new TransientDownloadError("the response has no body");
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        await file.write(chunk);
        fileHash.update(chunk);
        received += chunk.byteLength;
        options.onProgress?.({ receivedBytes: received, totalBytes, resumedFromBytes });
      }
    } catch (error) {
      options.signal?.throwIfAborted();
      throw new TransientDownloadError(
        `the download broke off after ${formatBytes(received)}${totalBytes ? ` of ${formatBytes(totalBytes)}` : ""} (${(error as Error).message}); the part is kept and resumed`,
      );
    }
    if (totalBytes !== undefined && received !== totalBytes)
      throw new TransientDownloadError(`the download ended at ${received} of ${totalBytes} bytes`);
    await file.sync();
  } finally {
    await file.close();
  }
  const actual = fileHash.digest("hex");
  if (actual !== options.sha256.toLowerCase()) {
    await rm(part, { force: true });
    throw new ModelUnavailableError(
      `sha256 mismatch for ${options.url}: expected ${options.sha256}, got ${actual}; the downloaded file was deleted`,
    );
  }
  await rename(part, options.target);
}

/** Downloads `url` to `target` (absent before); retries dropped connections, resuming each time. */
export async function downloadModelFile(options: DownloadOptions): Promise<void> {
  const part = `${options.target}.part`;
  const retries = options.retries ?? 3;
  for (let tryNumber = 0; ; tryNumber++) {
    options.signal?.throwIfAborted();
    try {
      await attempt(options, part);
      return;
    } catch (error) {
      if (!(error instanceof TransientDownloadError)) throw error;
      if (tryNumber >= retries)
        throw new ModelUnavailableError(
          `${error.message} (gave up after ${tryNumber + 1} tries; run again to resume)`,
        );
      await sleep((options.retryDelayMs ?? 1000) * 2 ** tryNumber, undefined, { signal: options.signal });
    }
  }
}
