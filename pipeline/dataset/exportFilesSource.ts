import { openExportSource } from "../archive/index.js";
import type { ExportFormat, ExportRecord } from "../model/conversation.js";
import type { ExportSource } from "../model/exportSource.js";
import { defaultReaders } from "../readers/defaultReaders.js";
import { detectAndRead } from "../readers/exportReaders.js";
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
}

export function exportFilesSource(
  paths: readonly string[],
  options: ExportFilesOptions = {},
): ExportFilesSource {
  const seen = new Set<ExportFormat>();
  async function* records(): AsyncGenerator<ExportRecord> {
    for (const path of paths) {
      const source = await openExportSource(path, options.signal ? { signal: options.signal } : {});
      try {
        const read = detectAndRead(
          source,
          defaultReaders(),
          options.signal ? { signal: options.signal } : {},
        );
        yield* options.transform ? options.transform(read.records, source) : read.records;
        for (const format of read.formats) seen.add(format);
      } finally {
        await source.close();
      }
    }
  }
  return { records, formats: () => [...seen] };
}
