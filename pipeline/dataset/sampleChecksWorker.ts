import { parentPort } from "node:worker_threads";
import { runSampleChecks, SampleChecksInput } from "./sampleChecks.js";

/** The thread of WorkerSampleChecks: one batch in, its numbers out (their buffers moved, not copied). */
parentPort?.on("message", ({ id, input }: { id: number; input: SampleChecksInput }) => {
  try {
    const result = runSampleChecks(input);
    parentPort?.postMessage({ id, result }, [
      result.samples.buffer as ArrayBuffer,
      result.messages.buffer as ArrayBuffer,
    ]);
  } catch (error) {
    parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
