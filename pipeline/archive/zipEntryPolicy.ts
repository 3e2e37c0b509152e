import type { Entry } from "yauzl";
import type { ArchiveLimits } from "./archiveLimits.js";

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
const DOS_DIRECTORY = 0x10;

/** Unix mode bits live in the high half of the external attributes (zip's "version made by" = Unix). */
function unixMode(entry: Entry): number {
  return (entry.externalFileAttributes >>> 16) & S_IFMT;
}

export function isDirectoryEntry(entry: Entry, name: string): boolean {
  return (
    name.endsWith("/") || unixMode(entry) === S_IFDIR || (entry.externalFileAttributes & DOS_DIRECTORY) !== 0
  );
}

/**
 * Why an entry is refused by its central-directory header alone, or null. The header may lie; the inflate
 * guard checks the same bounds on the real bytes.
 */
export function entryRefusal(entry: Entry, limits: ArchiveLimits): EntryRefusal | null {
  if (unixMode(entry) === S_IFLNK)
    return { code: "archiveSymlink", reason: "symbolic link entry (not followed)" };
  if (entry.isEncrypted()) return { code: "archiveEncrypted", reason: "encrypted entry" };
  if (!entry.canDecodeFileData())
    return {
      code: "archiveCompressionMethod",
      reason: `unsupported compression method ${entry.compressionMethod}`,
      values: { method: entry.compressionMethod },
    };
  const size = entry.uncompressedSize;
  if (size > limits.ratioMinBytes && size > limits.maxRatio * Math.max(entry.compressedSize, 1)) {
    const ratio = Math.round(size / Math.max(entry.compressedSize, 1));
    return {
      code: "archiveCompressionRatio",
      reason: `compression ratio ${en(ratio)}:1 over the limit of ${en(limits.maxRatio)}:1`,
      values: { ratio, limit: limits.maxRatio },
    };
  }
  return null;
}

/** Why an entry is skipped: a code and numbers for a report to translate, and the English words. */
export interface EntryRefusal {
  code: string;
  reason: string;
  values?: Record<string, number>;
}

/** A number as English writes it: 1,000. */
export const en = (n: number) => n.toLocaleString("en-US");
