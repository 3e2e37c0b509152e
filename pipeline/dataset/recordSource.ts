import { ExportRecord } from "../model/conversation.js";

/** Opens the export(s) afresh on each call: inspection and build each read the source once. */
export type RecordSource = () => AsyncIterable<ExportRecord>;

export interface ReadProgress {
  recordsRead: number;
  messagesRead: number;
  /** When the source can tell how far it has read. */
  bytesRead?: number;
}

export interface ReadOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ReadProgress) => void;
  /** Bytes read so far by the underlying files, when the caller counts them. */
  bytesRead?: () => number;
  /** Report every this many records (default 1000) and once at the end. */
  progressEvery?: number;
}

/** Reads a source once, checking the abort signal before every record and reporting progress. */
export async function* readRecords(
  source: RecordSource,
  options: ReadOptions = {},
): AsyncGenerator<ExportRecord> {
  const { signal, onProgress, bytesRead } = options;
  const every = Math.max(1, options.progressEvery ?? 1000);
  const progress: ReadProgress = { recordsRead: 0, messagesRead: 0 };
  const report = () => {
    if (!onProgress) return;
    onProgress(bytesRead ? { ...progress, bytesRead: bytesRead() } : { ...progress });
  };
  signal?.throwIfAborted();
  for await (const record of source()) {
    signal?.throwIfAborted();
    progress.recordsRead++;
    if (record.type === "message") progress.messagesRead++;
    if (progress.recordsRead % every === 0) report();
    yield record;
  }
  signal?.throwIfAborted();
  report();
}
