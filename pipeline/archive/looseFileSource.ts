import { createReadStream } from "node:fs";
import { basename } from "node:path";
import type { ExportFile } from "../model/exportSource.js";
import { lookupPath } from "./exportPath.js";
import type { OpenedExportSource } from "./openedExportSource.js";

/** A single uploaded file (`result.json`, `WhatsApp Chat with Маша.txt`) as a one-file export. */
export function looseFileSource(path: string, size: number): OpenedExportSource {
  const file: ExportFile = {
    path: basename(path),
    label: path,
    size,
    open: async () => createReadStream(path),
  };
  return {
    kind: "file",
    label: path,
    skipped: [],
    async *files() {
      yield file;
    },
    file: async (wanted) => (lookupPath(wanted) === file.path ? file : null),
    close: async () => {},
  };
}
