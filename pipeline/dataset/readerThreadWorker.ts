import { parentPort, workerData } from "node:worker_threads";
import { ExportReadError, type ExportRecord } from "../model/conversation.js";
import { exportFilesSource } from "./exportFilesSource.js";
import type { ReaderThreadData, ReaderThreadMessage, ThreadedFailure } from "./readerThread.js";
import { encodeRecords } from "./recordBatchCodec.js";

/**
 * The thread of readOnThread: reads the exports as the build's thread would and posts their records in
 * batches, never more than `batchesAhead` unacknowledged, so memory stays bounded by a few batches.
 */
const { paths, batchRecords, batchesAhead } = workerData as ReaderThreadData;
const port = parentPort!;
let credits = batchesAhead;
let wake: (() => void) | null = null;
port.on("message", () => {
  credits++;
  wake?.();
  wake = null;
});

const post = (message: ReaderThreadMessage) => port.postMessage(message);

async function send(records: ExportRecord[]): Promise<void> {
  while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
  credits--;
  post({ records: encodeRecords(records) });
}

function failureOf(error: unknown): ThreadedFailure {
  if (error instanceof ExportReadError)
    return { exportRead: { file: error.file, where: error.where, detail: error.detail } };
  return { message: error instanceof Error ? error.message : String(error) };
}

const source = exportFilesSource(paths, { readerThread: false });
let batch: ExportRecord[] = [];
try {
  for await (const record of source.records()) {
    batch.push(record);
    if (batch.length >= batchRecords) {
      await send(batch);
      batch = [];
    }
  }
  post({ records: encodeRecords(batch), formats: source.formats() });
} catch (error) {
  post({ records: encodeRecords(batch), failure: failureOf(error) });
}
