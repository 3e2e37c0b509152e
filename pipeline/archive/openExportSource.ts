import { open, stat } from "node:fs/promises";
import { ExportReadError } from "../model/conversation.js";
import { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS } from "./archiveLimits.js";
import { folderSource } from "./folderSource.js";
import { looseFileSource } from "./looseFileSource.js";
import type { OpenedExportSource } from "./openedExportSource.js";
import { zipSource } from "./zipSource.js";

export interface OpenExportSourceOptions {
  limits?: Partial<ArchiveLimits>;
  signal?: AbortSignal;
}

/**
 * What a person uploaded, as an ExportSource: a folder, a zip (known by its magic bytes, since uploads are
 * often renamed) or any other single file. Nested zips stay files: opening them would multiply every limit.
 */
export async function openExportSource(
  path: string,
  options: OpenExportSourceOptions = {},
): Promise<OpenedExportSource> {
  const limits: ArchiveLimits = { ...DEFAULT_ARCHIVE_LIMITS, ...options.limits };
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    throw new ExportReadError(path, "", "no such file or folder", { cause: error });
  }
  if (info.isDirectory()) return folderSource(path, options.signal);
  if (!info.isFile()) throw new ExportReadError(path, "", "not a file or folder");
  if (await isZip(path)) return zipSource(path, limits, options.signal);
  return looseFileSource(path, info.size);
}

/** Local file header, or the end record of an empty archive. */
async function isZip(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const magic = Buffer.alloc(4);
    const { bytesRead } = await handle.read(magic, 0, 4, 0);
    if (bytesRead < 4 || magic[0] !== 0x50 || magic[1] !== 0x4b) return false;
    return (magic[2] === 0x03 && magic[3] === 0x04) || (magic[2] === 0x05 && magic[3] === 0x06);
  } finally {
    await handle.close();
  }
}
