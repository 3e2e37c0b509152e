import type { Readable } from "node:stream";
import yauzl, { type Entry, type ZipFile } from "yauzl";
import { ExportReadError, type SkippedInput } from "../model/conversation.js";
import type { ExportFile } from "../model/exportSource.js";
import type { ArchiveLimits } from "./archiveLimits.js";
import { lookupPath, normalizeExportPath } from "./exportPath.js";
import { InflateGuard } from "./inflateGuard.js";
import type { OpenedExportSource } from "./openedExportSource.js";
import { entryRefusal, isDirectoryEntry } from "./zipEntryPolicy.js";

/**
 * A zip upload read in place: the central directory is walked once to index the acceptable entries, and each
 * entry is inflated on demand through an InflateGuard. Nothing is extracted to disk.
 */
export async function zipSource(
  path: string,
  limits: ArchiveLimits,
  signal?: AbortSignal,
): Promise<OpenedExportSource> {
  let zip: ZipFile;
  try {
    // decodeStrings off: yauzl would fail the whole archive on the first unsafe name; we skip that entry instead.
    // validateEntrySizes off: the InflateGuard counts sizes itself, with errors that name the entry.
    zip = await yauzl.openPromise(path, {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: false,
      validateEntrySizes: false,
    });
  } catch (error) {
    throw new ExportReadError(path, "", `not a readable zip archive: ${messageOf(error)}`, { cause: error });
  }
  try {
    const { files, skipped } = await indexEntries(zip, path, limits, signal);
    return {
      kind: "zip",
      label: path,
      skipped,
      async *files() {
        yield* files.values();
      },
      file: async (wanted) => {
        const normal = lookupPath(wanted);
        return (normal !== null && files.get(normal)) || null;
      },
      close: async () => zip.close(),
    };
  } catch (error) {
    zip.close();
    if (error instanceof ExportReadError || (error instanceof Error && error.name === "AbortError"))
      throw error;
    throw new ExportReadError(path, "", `corrupt zip archive: ${messageOf(error)}`, { cause: error });
  }
}

async function indexEntries(
  zip: ZipFile,
  archive: string,
  limits: ArchiveLimits,
  signal: AbortSignal | undefined,
): Promise<{ files: Map<string, ExportFile>; skipped: SkippedInput[] }> {
  if (zip.entryCount > limits.maxEntries) {
    throw new ExportReadError(
      archive,
      "",
      `archive has ${zip.entryCount} entries; the limit is ${limits.maxEntries}`,
    );
  }
  const files = new Map<string, ExportFile>();
  const skipped: SkippedInput[] = [];
  let total = 0;
  for await (const entry of zip.eachEntry()) {
    signal?.throwIfAborted();
    // UTF-8 when the entry says so (flag bit 11 or the Info-ZIP Unicode path field), CP437 otherwise.
    const name = yauzl.getFileNameLowLevel(
      entry.generalPurposeBitFlag,
      entry.fileNameRaw,
      entry.extraFields,
      false,
    );
    const where = `${archive}!/${name}`;
    const normal = normalizeExportPath(name);
    if ("reason" in normal) {
      skipped.push({ code: "archiveUnsafeName", reason: `unsafe entry name: ${normal.reason}`, where });
      continue;
    }
    if (isDirectoryEntry(entry, name)) continue;
    const refusal = entryRefusal(entry, limits);
    if (refusal) {
      skipped.push({ ...refusal, where });
      continue;
    }
    if (files.has(normal.path)) {
      skipped.push({ code: "archiveDuplicateName", reason: "duplicate entry name", where });
      continue;
    }
    total += entry.uncompressedSize;
    if (total > limits.maxTotalBytes) {
      throw new ExportReadError(
        archive,
        "",
        `archive unpacks to more than ${limits.maxTotalBytes} bytes (possible zip bomb)`,
      );
    }
    files.set(normal.path, zipFile(zip, entry, normal.path, `${archive}!/${normal.path}`, limits));
  }
  return { files, skipped };
}

function zipFile(zip: ZipFile, entry: Entry, path: string, label: string, limits: ArchiveLimits): ExportFile {
  return {
    path,
    label,
    size: entry.uncompressedSize,
    open: async () => {
      let raw: Readable;
      try {
        raw = await zip.openReadStreamPromise(entry);
      } catch (error) {
        throw new ExportReadError(label, "", `cannot open the entry: ${messageOf(error)}`, { cause: error });
      }
      const guard = new InflateGuard(
        { label, declaredSize: entry.uncompressedSize, compressedSize: entry.compressedSize },
        limits,
      );
      raw.on("error", (error) => {
        guard.destroy(
          error instanceof ExportReadError
            ? error
            : new ExportReadError(label, "", `corrupt entry: ${messageOf(error)}`, { cause: error }),
        );
      });
      // A reader that stops early (a 64 KB head) or fails must not leave the inflater running.
      guard.on("close", () => {
        raw.unpipe(guard);
        raw.destroy();
      });
      return raw.pipe(guard);
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
