import { Worker } from "node:worker_threads";
import { type ExportFormat, ExportReadError, type ExportRecord } from "../model/conversation.js";
import { decodeRecords, type EncodedRecords } from "./recordBatchCodec.js";

/** What the reader thread is given. */
export interface ReaderThreadData {
  paths: readonly string[];
  batchRecords: number;
  batchesAhead: number;
}

/** A failure of the thread's read, as it crosses to the build's thread. */
export type ThreadedFailure =
  | { exportRead: { file: string; where: string; detail: string } }
  | { message: string };

/** One post of the reader thread: a batch of records, and with the last one how the read ended. */
export type ReaderThreadMessage =
  | { records: EncodedRecords; formats?: undefined; failure?: undefined }
  | { records: EncodedRecords; formats: ExportFormat[]; failure?: undefined }
  | { records: EncodedRecords; formats?: undefined; failure: ThreadedFailure };

/** How the thread hands records over. */
export interface ReaderThreadSettings {
  /** Records a batch (default 256). */
  batchRecords?: number;
  /** Batches read ahead of the consumer at most (default 4). */
  batchesAhead?: number;
}

export interface ReaderThreadOptions extends ReaderThreadSettings {
  signal?: AbortSignal;
}

function revive(failure: ThreadedFailure): Error {
  if ("exportRead" in failure) {
    const { file, where, detail } = failure.exportRead;
    return new ExportReadError(file, where, detail);
  }
  return new Error(`the export reader thread failed: ${failure.message}`);
}

/**
 * The records of the exports, read on a thread of their own (the same readers, the same order), while
 * the caller's thread builds from them. The formats seen are added to `formats` once the read completes.
 * Leaving early (return, throw, abort) stops the thread.
 */
export async function* readOnThread(
  paths: readonly string[],
  formats: Set<ExportFormat>,
  options: ReaderThreadOptions = {},
): AsyncGenerator<ExportRecord> {
  const { signal } = options;
  signal?.throwIfAborted();
  const data: ReaderThreadData = {
    paths,
    batchRecords: options.batchRecords ?? 256,
    batchesAhead: options.batchesAhead ?? 4,
  };
  // The reader holds one message (or one WhatsApp line batch) at a time: a small young generation keeps
  // the build's RSS down, and a bounded old one fails the build, not the machine.
  const worker = new Worker(new URL("./readerThreadWorker.js", import.meta.url), {
    workerData: data,
    resourceLimits: { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 256 },
  });
  const inbox: ReaderThreadMessage[] = [];
  let stopped: Error | null = null;
  let wake: (() => void) | null = null;
  const rouse = () => {
    wake?.();
    wake = null;
  };
  worker.on("message", (message: ReaderThreadMessage) => {
    inbox.push(message);
    rouse();
  });
  worker.on("error", (error) => {
    stopped ??= new Error(`the export reader thread failed: ${error.message}`, { cause: error });
    rouse();
  });
  worker.on("exit", (code) => {
    stopped ??= new Error(`the export reader thread exited (code ${code}) before the read ended`);
    rouse();
  });
  signal?.addEventListener("abort", rouse, { once: true });
  try {
    for (;;) {
      while (inbox.length === 0) {
        signal?.throwIfAborted();
        if (stopped) throw stopped;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      const message = inbox.shift()!;
      if (message.formats === undefined && message.failure === undefined) worker.postMessage(0);
      for (const record of decodeRecords(message.records)) {
        signal?.throwIfAborted();
        yield record;
      }
      if (message.failure) throw revive(message.failure);
      if (message.formats) {
        for (const format of message.formats) formats.add(format);
        return;
      }
    }
  } finally {
    signal?.removeEventListener("abort", rouse);
    await worker.terminate();
  }
}
