import { isArchiverJunk, isMediaFileName, isNestedArchiveName } from "../archive/mediaFileNames.js";
import { hasSkippedInputs } from "../archive/openedExportSource.js";
import { HEAD_BYTES, readHead } from "../archive/readHead.js";
import type { ExportFormat, ExportRecord } from "../model/conversation.js";
import type { ExportFile, ExportReader, ExportSource } from "../model/exportSource.js";

export interface DetectOptions {
  signal?: AbortSignal;
}

/** What became of one file of a source: the reader that takes it, or why none does (null: silently ignored). */
export type FileDetection =
  | { file: ExportFile; reader: ExportReader }
  | { file: ExportFile; reader: null; reason: string | null; code?: string };

/**
 * Classifies each file of a source by the first reader (in the given order) that accepts its name and first
 * 64 KB. Media and archiver debris are decided by name alone, without opening them: an export can hold tens of
 * thousands of photos and only its chat files matter here.
 */
export async function* detectExportFiles(
  source: ExportSource,
  readers: readonly ExportReader[],
  options: DetectOptions = {},
): AsyncGenerator<FileDetection> {
  for await (const file of source.files()) {
    options.signal?.throwIfAborted();
    if (isMediaFileName(file.path) || isArchiverJunk(file.path)) {
      yield { file, reader: null, reason: null };
      continue;
    }
    if (isNestedArchiveName(file.path)) {
      yield {
        file,
        reader: null,
        code: "nestedArchive",
        reason: "an archive inside the upload is not opened; upload it on its own",
      };
      continue;
    }
    const head = await readHead(file, HEAD_BYTES);
    const reader = readers.find((r) => r.accepts(file, head));
    yield reader
      ? { file, reader }
      : { file, reader: null, code: "unknownFormat", reason: "not a chat export this platform can read" };
  }
}

export interface ExportReading {
  /** Single use. Inputs the source refused come first, then each accepted file's records in file order. */
  records: AsyncIterable<ExportRecord>;
  /** Formats of the files read so far; complete once `records` is exhausted. */
  readonly formats: ReadonlySet<ExportFormat>;
}

/**
 * Reads every file some reader accepts, in source order, as one record stream. Files no reader takes become
 * `skipped` records (media silently dropped). A reader's ExportReadError ends the stream: a chat file that
 * cannot be read means the upload is not what the person thinks it is, and they should hear so.
 */
export function detectAndRead(
  source: ExportSource,
  readers: readonly ExportReader[],
  options: DetectOptions = {},
): ExportReading {
  const formats = new Set<ExportFormat>();
  async function* records(): AsyncGenerator<ExportRecord> {
    options.signal?.throwIfAborted();
    if (hasSkippedInputs(source)) {
      for (const skipped of source.skipped) yield { type: "skipped", skipped };
    }
    for await (const detection of detectExportFiles(source, readers, options)) {
      if (detection.reader === null) {
        if (detection.reason !== null) {
          const { reason, code, file } = detection;
          yield { type: "skipped", skipped: { ...(code ? { code } : {}), reason, where: file.label } };
        }
        continue;
      }
      formats.add(detection.reader.format);
      for await (const record of detection.reader.read(detection.file, options.signal, { source })) {
        options.signal?.throwIfAborted();
        yield record;
      }
    }
  }
  return { records: records(), formats };
}
