/** The embedded artifact store: a folder on the local disk (layout in localArtifactLayout.ts). */
import { randomUUID } from "node:crypto";
import type { Dirent } from "node:fs";
import { type FileHandle, mkdir, open, readdir, rename, rm, rmdir, stat } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import type { Readable } from "node:stream";
import { KeyedMutex } from "../concurrency/keyedMutex.js";
import { validateArtifactKey, validateArtifactPrefix } from "./artifactKey.js";
import {
  ArtifactChecksumError,
  type ArtifactInfo,
  ArtifactNotFoundError,
  type ArtifactStore,
  type GetOptions,
  type PutOptions,
} from "./artifactStore.js";
import { writeHashedFile } from "./hashedFileWriter.js";
import {
  isKeyDirectory,
  locate,
  nameOfRecord,
  newBlobName,
  OBJECTS_DIR,
  TMP_DIR,
} from "./localArtifactLayout.js";
import { type ArtifactRecord, isNotFound, readRecord, toInfo, writeRecord } from "./localArtifactRecord.js";
import { validatePutOptions } from "./putOptionsValidation.js";

/** Tries at reading a record and opening its blob while puts and deletes race with the read. */
const READ_ATTEMPTS = 3;

/** Byte offsets for a read stream, end inclusive and clamped to the artifact, as HTTP `Range` does. */
function byteRange(range: GetOptions["range"], size: number, key: string): { start: number; end?: number } {
  if (range === undefined) return { start: 0 };
  const { start, end } = range;
  const isOffset = (n: unknown) => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
  if (!isOffset(start) || (end !== undefined && (!isOffset(end) || end < start))) {
    throw new RangeError(`artifact ${key}: invalid range ${JSON.stringify(range)}`);
  }
  if (start >= size)
    throw new RangeError(`artifact ${key}: range starts at ${start}, past its ${size} bytes`);
  return { start, end: Math.min(end ?? size - 1, size - 1) };
}

/** Makes renames durable: without it a crash may forget a rename that already returned. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export class LocalArtifactStore implements ArtifactStore {
  private readonly root: string;
  private readonly objects: string;
  private readonly tmp: string;
  /** Serialises commits and deletes per key, so two puts of one key cannot orphan each other's blob. */
  private readonly locks = new KeyedMutex();
  private closed = false;

  constructor(rootDir: string) {
    this.root = resolve(rootDir);
    this.objects = join(this.root, OBJECTS_DIR);
    this.tmp = join(this.root, TMP_DIR);
  }

  async put(
    key: string,
    body: Readable | AsyncIterable<Uint8Array>,
    options: PutOptions = {},
  ): Promise<ArtifactInfo> {
    validateArtifactKey(key);
    validatePutOptions(options);
    this.assertOpen();
    options.signal?.throwIfAborted();
    await mkdir(this.tmp, { recursive: true });
    const tmpBody = join(this.tmp, randomUUID());
    try {
      const written = await writeHashedFile(body, tmpBody, {
        key,
        maxBytes: options.maxBytes,
        signal: options.signal,
      });
      if (options.expectedSha256 !== undefined && written.sha256 !== options.expectedSha256) {
        throw new ArtifactChecksumError(key, options.expectedSha256, written.sha256);
      }
      const info: ArtifactInfo = {
        key,
        size: written.size,
        sha256: written.sha256,
        createdAt: new Date().toISOString(),
      };
      if (options.contentType !== undefined) info.contentType = options.contentType;
      await this.locks.run(key, () => this.commit(tmpBody, info, options.signal));
      return info;
    } finally {
      // After a commit the body has been renamed away and this finds nothing.
      await rm(tmpBody, { force: true });
    }
  }

  async get(key: string, options: GetOptions = {}): Promise<Readable> {
    validateArtifactKey(key);
    this.assertOpen();
    const location = locate(this.objects, key);
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      const record = await readRecord(location.record);
      if (record === null) break;
      const range = byteRange(options.range, record.size, key);
      let handle: FileHandle;
      try {
        handle = await open(join(location.dir, record.blob), "r");
      } catch (error) {
        // Overwritten or deleted between reading the record and opening the blob: read the record again.
        if (isNotFound(error)) continue;
        throw error;
      }
      // Once open, the bytes stay readable even if an overwrite or delete unlinks the blob meanwhile.
      return handle.createReadStream(range);
    }
    throw new ArtifactNotFoundError(key);
  }

  async stat(key: string): Promise<ArtifactInfo | null> {
    validateArtifactKey(key);
    this.assertOpen();
    const record = await readRecord(locate(this.objects, key).record);
    return record === null ? null : toInfo(record);
  }

  async delete(key: string): Promise<boolean> {
    validateArtifactKey(key);
    this.assertOpen();
    return this.locks.run(key, () => this.remove(key));
  }

  async *list(prefix: string): AsyncIterable<ArtifactInfo> {
    validateArtifactPrefix(prefix, { allowEmpty: true });
    this.assertOpen();
    for await (const key of this.walk(this.objects, "", prefix)) {
      const record = await readRecord(locate(this.objects, key).record);
      // Deleted since the directory was read.
      if (record !== null) yield toInfo(record);
    }
  }

  async removeIncomplete(olderThan: Date): Promise<number> {
    this.assertOpen();
    let removed = 0;
    for (const name of await readdir(this.tmp).catch(() => [] as string[])) {
      const path = join(this.tmp, name);
      const info = await stat(path).catch(() => null);
      if (!info || info.mtimeMs >= olderThan.getTime()) continue;
      await rm(path, { force: true, recursive: true });
      removed++;
    }
    return removed;
  }

  async deletePrefix(prefix: string): Promise<number> {
    validateArtifactPrefix(prefix, { allowEmpty: false });
    this.assertOpen();
    // Collected first: deleting while walking would prune directories the walk has yet to read.
    const keys: string[] = [];
    for await (const key of this.walk(this.objects, "", prefix)) keys.push(key);
    let deleted = 0;
    for (const key of keys) if (await this.delete(key)) deleted++;
    return deleted;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Moves a fully written body into place and switches the record to it in one rename. */
  private async commit(tmpBody: string, info: ArtifactInfo, signal: AbortSignal | undefined): Promise<void> {
    // The last point where an abort can still leave nothing behind.
    signal?.throwIfAborted();
    const location = locate(this.objects, info.key);
    const previous = await readRecord(location.record);
    const record: ArtifactRecord = { ...info, blob: newBlobName(location.name) };
    const blobPath = join(location.dir, record.blob);
    const tmpRecord = join(this.tmp, `${randomUUID()}.json`);
    try {
      await writeRecord(tmpRecord, record);
      await this.renameIntoDirectory(tmpBody, blobPath);
      await rename(tmpRecord, location.record);
    } catch (error) {
      await Promise.all([rm(tmpRecord, { force: true }), rm(blobPath, { force: true })]);
      throw error;
    }
    await syncDirectory(location.dir);
    if (previous !== null) await rm(join(location.dir, previous.blob), { force: true });
  }

  /** mkdir then rename, again if a concurrent delete pruned the directory in between. */
  private async renameIntoDirectory(from: string, to: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await mkdir(dirname(to), { recursive: true });
      try {
        await rename(from, to);
        return;
      } catch (error) {
        if (!isNotFound(error) || attempt >= READ_ATTEMPTS) throw error;
      }
    }
  }

  private async remove(key: string): Promise<boolean> {
    const location = locate(this.objects, key);
    const record = await readRecord(location.record);
    if (record === null) return false;
    // The record goes first: once it is gone the artifact is gone, whatever happens to the blob.
    await rm(location.record, { force: true });
    await rm(join(location.dir, record.blob), { force: true });
    await this.pruneEmptyDirectories(location.dir);
    return true;
  }

  /** Removes now-empty key directories up to (not including) the objects root. */
  private async pruneEmptyDirectories(dir: string): Promise<void> {
    for (let current = dir; current.startsWith(`${this.objects}${sep}`); current = dirname(current)) {
      try {
        await rmdir(current);
      } catch {
        // Not empty (or already gone): nothing above it can be empty either.
        return;
      }
    }
  }

  /**
   * Keys under `dir` (whose keys start with `base`) that start with `prefix`, in key order. Entries
   * are visited in the order of the keys they stand for - a record `x` as "x", a directory `x` as
   * "x/" - so the output is sorted without collecting the whole tree.
   */
  private async *walk(dir: string, base: string, prefix: string): AsyncGenerator<string> {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    const children: { sortKey: string; key: string; dir?: string }[] = [];
    for (const entry of entries) {
      if (entry.isDirectory() && isKeyDirectory(entry.name)) {
        const childBase = `${base}${entry.name}/`;
        if (childBase.startsWith(prefix) || prefix.startsWith(childBase)) {
          children.push({ sortKey: childBase, key: childBase, dir: join(dir, entry.name) });
        }
      } else if (entry.isFile()) {
        const name = nameOfRecord(entry.name);
        const key = name === null ? null : `${base}${name}`;
        if (key?.startsWith(prefix)) children.push({ sortKey: key, key });
      }
    }
    // Keys are ASCII, so code-unit order is byte order, which is S3's listing order.
    children.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    for (const child of children) {
      if (child.dir === undefined) yield child.key;
      else yield* this.walk(child.dir, child.key, prefix);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`artifact store ${this.root} is closed`);
  }
}
