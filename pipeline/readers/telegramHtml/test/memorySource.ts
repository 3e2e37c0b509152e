import type { ExportFile, ExportSource } from "../../../model/exportSource.js";
import { memoryFile } from "../../json/test/memoryFile.js";

/** Files in memory as an ExportSource, listed in the order given (a zip's order is the archive's own). */
export function memorySource(
  files: ReadonlyArray<[path: string, content: string | Uint8Array]>,
  chunkSize = 512,
): ExportSource {
  const made = new Map<string, ExportFile>();
  for (const [path, content] of files) {
    const file = memoryFile(content, chunkSize, `upload.zip!/${path}`);
    made.set(path, { ...file, path });
  }
  return {
    label: "upload.zip",
    async *files() {
      yield* made.values();
    },
    file: async (path) => made.get(path) ?? null,
    close: async () => {},
  };
}
