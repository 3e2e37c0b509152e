import { createReadStream } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import type { SkippedInput } from "../model/conversation.js";
import type { ExportFile } from "../model/exportSource.js";
import { lookupPath } from "./exportPath.js";
import type { OpenedExportSource } from "./openedExportSource.js";

/**
 * An unpacked export folder. Links are refused rather than followed: a link inside an upload can point
 * anywhere on the machine, and an export never contains one.
 */
export async function folderSource(root: string, signal?: AbortSignal): Promise<OpenedExportSource> {
  const files = new Map<string, ExportFile>();
  const skipped: SkippedInput[] = [];
  await walk(root, "", files, skipped, signal);
  return {
    kind: "folder",
    label: root,
    skipped,
    async *files() {
      yield* files.values();
    },
    file: async (wanted) => {
      const path = lookupPath(wanted);
      return (path !== null && files.get(path)) || null;
    },
    close: async () => {},
  };
}

async function walk(
  root: string,
  relative: string,
  files: Map<string, ExportFile>,
  skipped: SkippedInput[],
  signal: AbortSignal | undefined,
): Promise<void> {
  signal?.throwIfAborted();
  const entries = await readdir(join(root, relative), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = relative ? `${relative}/${entry.name}` : entry.name;
    const absolute = join(root, path);
    if (entry.isDirectory()) await walk(root, path, files, skipped, signal);
    else if (entry.isSymbolicLink())
      skipped.push({ code: "symlink", reason: "symbolic link (not followed)", where: absolute });
    else if (!entry.isFile())
      skipped.push({ code: "notRegularFile", reason: "not a regular file", where: absolute });
    else {
      const { size } = await lstat(absolute);
      files.set(path, { path, label: absolute, size, open: async () => createReadStream(absolute) });
    }
  }
}
