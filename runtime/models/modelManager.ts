/**
 * Makes the bundle's base model available as a local file: a local path, else the shared cache, else a
 * download into the cache. Later runs find the verified file and start offline.
 */
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { acquireLock } from "./fileLock.js";
import { fileSha256 } from "./fileSha256.js";
import { cachedModelFileName, modelCacheDir } from "./modelCache.js";
import { type DownloadProgress, downloadModelFile, type StatFs } from "./modelDownload.js";
import { ModelUnavailableError } from "./modelErrors.js";

export interface BaseModelSource {
  name: string;
  url: string | null;
  /** Hex sha256 the file must have. Without one (null, or not 64 hex digits) nothing is downloaded or used. */
  sha256: string | null;
  /** An absolute local path that is used when it exists. */
  localPath?: string;
}

export interface EnsureModelOptions {
  /** Default: AICLONE_RUNTIME_MODEL_CACHE, else ~/.cache/aiclone/models. */
  cacheDir?: string;
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  /** Called when another process is downloading the same model and this one waits for it. */
  onWaitForOtherDownload?: () => void;
  /** Called while a local file is checked against its sha256 (once per file change). */
  onVerify?: (path: string) => void;
  retries?: number;
  retryDelayMs?: number;
  reserveBytes?: number;
  statfs?: StatFs;
  fetch?: typeof fetch;
}

export interface EnsuredModel {
  path: string;
  source: "local" | "cache" | "download";
}

const exists = (path: string) =>
  stat(path).then(
    (info) => info.isFile(),
    () => false,
  );

/**
 * A local file is hashed once; the stamp (size + mtime) in the cache lets later starts skip hashing a
 * multi-GB file while still noticing when it was replaced.
 */
async function verifyLocalFile(path: string, sha256: string, cacheDir: string, options: EnsureModelOptions) {
  const info = await stat(path);
  const stampPath = join(cacheDir, `${sha256}.verified.json`);
  const stamp = { path, size: info.size, mtimeMs: info.mtimeMs };
  const previous = await readFile(stampPath, "utf8").then(
    (text) => JSON.parse(text) as typeof stamp,
    () => undefined,
  );
  if (previous && JSON.stringify(previous) === JSON.stringify(stamp)) return;
  options.onVerify?.(path);
  const actual = await fileSha256(path, options.signal);
  if (actual !== sha256.toLowerCase())
    throw new ModelUnavailableError(
      `baseModel.path ${path}: sha256 is ${actual}, the bundle expects ${sha256} (a different or damaged file)`,
    );
  await mkdir(cacheDir, { recursive: true });
  await writeFile(stampPath, JSON.stringify(stamp));
}

export async function ensureBaseModel(
  model: BaseModelSource,
  options: EnsureModelOptions = {},
): Promise<EnsuredModel> {
  const sha256 = model.sha256;
  // An unchecked file could be anything (a truncated download, another quantisation, a tampered mirror); a
  // multi-GB download that could only be refused at its end is not even started.
  if (sha256 === null || !/^[0-9a-fA-F]{64}$/.test(sha256))
    throw new ModelUnavailableError(
      `base model ${model.name}: no verified sha256 is pinned for it (${sha256 === null ? "none" : `'${sha256}' is not 64 hex digits`}), so the runtime will not download or use it; publish the clone with the file's sha256 (baseModels.${model.name}.sha256 in the platform configuration)`,
    );
  const cacheDir = modelCacheDir(options.cacheDir);
  if (model.localPath !== undefined && (await exists(model.localPath))) {
    await verifyLocalFile(model.localPath, sha256, cacheDir, options);
    return { path: model.localPath, source: "local" };
  }
  const target = join(cacheDir, cachedModelFileName(model.name, sha256));
  // Only a verified download is ever renamed to this name, so finding it is enough.
  if (await exists(target)) return { path: target, source: "cache" };
  if (model.url === null)
    throw new ModelUnavailableError(
      `base model ${model.name}: the local file ${model.localPath ?? "(none)"} is missing and the bundle has no URL to download it from`,
    );

  await mkdir(cacheDir, { recursive: true });
  const lock = await acquireLock(`${target}.lock`, {
    signal: options.signal,
    onWait: options.onWaitForOtherDownload,
  });
  try {
    // Another process may have finished the download while this one waited for the lock.
    if (await exists(target)) return { path: target, source: "cache" };
    await downloadModelFile({
      url: model.url,
      target,
      sha256,
      signal: options.signal,
      onProgress: options.onProgress,
      retries: options.retries,
      retryDelayMs: options.retryDelayMs,
      reserveBytes: options.reserveBytes,
      statfs: options.statfs,
      fetch: options.fetch,
    });
    return { path: target, source: "download" };
  } finally {
    await lock.release();
  }
}
