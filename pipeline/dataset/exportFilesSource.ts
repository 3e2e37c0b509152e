import { readdir, stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { basename, dirname, isAbsolute, join, sep } from "node:path";
import { openExportSource } from "../archive/index.js";
import type { ExportFormat, ExportRecord } from "../model/conversation.js";
import type { ExportSource } from "../model/exportSource.js";
import { defaultReaders } from "../readers/defaultReaders.js";
import { detectAndRead } from "../readers/exportReaders.js";
import { type ReaderThreadSettings, readOnThread } from "./readerThread.js";
import type { RecordSource } from "./recordSource.js";

export interface ExportFilesSource {
  /** Re-readable: each call opens the files again (inspection and build each read once). */
  records: RecordSource;
  /** Formats seen by the last completed read. */
  formats(): ExportFormat[];
}

/**
 * The records of several uploaded exports (loose files, folders or zips), one after another, with the
 * format of each detected from its content.
 */
export interface ExportFilesOptions {
  signal?: AbortSignal;
  /** Rewrites each export's records with access to its files (OCR of the images it holds). */
  transform?: (records: AsyncIterable<ExportRecord>, source: ExportSource) => AsyncIterable<ExportRecord>;
  /**
   * Read on a thread of its own (readOnThread) while the caller builds: true (or the thread's settings),
   * false, or by default when the machine has READER_THREAD_CORES and the exports hold READER_THREAD_BYTES
   * and there is no transform (which runs where it reads).
   */
  readerThread?: boolean | ReaderThreadSettings;
}

/** Below this the thread costs more to start (tens of ms) than it saves. */
export const READER_THREAD_BYTES = 16 << 20;
/**
 * A third thread beside the build's and the checks': it takes the busiest thread's CPU from ~10 s to ~6–7 s
 * on 100 MB, but hands records over at 15–20 % more CPU in all, so on two cores, where the total is what
 * counts, it is slower or level ([benchmarks](../../docs/benchmarks.md)).
 */
export const READER_THREAD_CORES = 3;

/**
 * Where a skip happened, as the person knows it: from the uploaded file's own name, never the folder it
 * lies in on this machine (`bomb.zip: chat.txt`, not `/srv/uploads/…/bomb.zip!/chat.txt`).
 */
export function uploadWhere(where: string, uploadPath: string): string {
  const folder = dirname(uploadPath);
  const prefix = folder === "." ? "" : folder.endsWith(sep) ? folder : `${folder}${sep}`;
  const relative = prefix !== "" && where.startsWith(prefix) ? where.slice(prefix.length) : where;
  // Readers also name places that are no paths (`chat/messageId`); an absolute path outside the upload's
  // folder (none is expected) still loses its folders.
  const named = relative === where && isAbsolute(where) ? basename(where) : relative;
  return named.replace("!/", ": ");
}

/** A skipped record named from the upload (uploadWhere); other records as they are. */
function withUploadName(record: ExportRecord, uploadPath: string): ExportRecord {
  if (record.type !== "skipped") return record;
  return {
    type: "skipped",
    skipped: { ...record.skipped, where: uploadWhere(record.skipped.where, uploadPath) },
  };
}

export function exportFilesSource(
  paths: readonly string[],
  options: ExportFilesOptions = {},
): ExportFilesSource {
  const seen = new Set<ExportFormat>();
  const { signal, transform, readerThread } = options;
  let onThread: Promise<boolean> | null = null;
  async function* records(): AsyncGenerator<ExportRecord> {
    onThread ??= readsOnThread(paths, options);
    if (await onThread) {
      const settings = typeof readerThread === "object" ? readerThread : {};
      yield* readOnThread(paths, seen, signal ? { ...settings, signal } : settings);
      return;
    }
    for (const path of paths) {
      const source = await openExportSource(path, signal ? { signal } : {});
      try {
        const read = detectAndRead(source, defaultReaders(), signal ? { signal } : {});
        const records = transform ? transform(read.records, source) : read.records;
        // Mapped here rather than by another generator: one step less per record.
        for await (const record of records) yield withUploadName(record, path);
        for (const format of read.formats) seen.add(format);
      } finally {
        await source.close();
      }
    }
  }
  return { records, formats: () => [...seen] };
}

/** Whether exportFilesSource reads these exports on a thread of its own (see `readerThread`). */
export async function readsOnThread(
  paths: readonly string[],
  { transform, readerThread }: Pick<ExportFilesOptions, "transform" | "readerThread">,
  cores = availableParallelism(),
): Promise<boolean> {
  if (transform || readerThread === false) return false;
  if (readerThread !== undefined) return true;
  return cores >= READER_THREAD_CORES && (await bytesOf(paths)) >= READER_THREAD_BYTES;
}

/** The bytes of the uploads: files as they are, folders summed over their files (zips and media too). */
async function bytesOf(paths: readonly string[]): Promise<number> {
  let total = 0;
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (info?.isFile()) total += info.size;
    else if (info?.isDirectory()) {
      for (const name of await readdir(path, { recursive: true })) {
        const entry = await stat(join(path, name)).catch(() => null);
        if (entry?.isFile()) total += entry.size;
        if (total >= READER_THREAD_BYTES) break;
      }
    }
    if (total >= READER_THREAD_BYTES) break;
  }
  return total;
}
