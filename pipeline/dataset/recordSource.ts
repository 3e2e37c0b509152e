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

/**
 * The abort checks and progress reports of one read, record by record: readRecords wraps a source with it,
 * and the build calls it in its own loop (one async step less per record).
 */
export class ReadTracker {
  private readonly every: number;
  private readonly progress: ReadProgress = { recordsRead: 0, messagesRead: 0 };

  constructor(private readonly options: ReadOptions = {}) {
    this.every = Math.max(1, options.progressEvery ?? 1000);
    options.signal?.throwIfAborted();
  }

  /** Before a record is used: throws if aborted, counts it, reports every `progressEvery` records. */
  next(record: ExportRecord): void {
    this.options.signal?.throwIfAborted();
    this.progress.recordsRead++;
    if (record.type === "message") this.progress.messagesRead++;
    if (this.progress.recordsRead % this.every === 0) this.report();
  }

  /** After the last record: throws if aborted, else the final report. */
  end(): void {
    this.options.signal?.throwIfAborted();
    this.report();
  }

  private report(): void {
    const { onProgress, bytesRead } = this.options;
    if (!onProgress) return;
    onProgress(bytesRead ? { ...this.progress, bytesRead: bytesRead() } : { ...this.progress });
  }
}

/** Reads a source once, checking the abort signal before every record and reporting progress. */
export async function* readRecords(
  source: RecordSource,
  options: ReadOptions = {},
): AsyncGenerator<ExportRecord> {
  const tracker = new ReadTracker(options);
  for await (const record of source()) {
    tracker.next(record);
    yield record;
  }
  tracker.end();
}
