import { Worker } from "node:worker_threads";
import { runSampleChecks, SampleChecksInput, SampleChecksResult } from "./sampleChecks.js";

/** Runs batches of sample checks: here, or on a thread of their own. Results come in the batches' order. */
export interface SampleCheckRunner {
  run(input: SampleChecksInput): Promise<SampleChecksResult>;
  close(): Promise<void>;
}

/** On the build's own thread (small builds: a thread costs more to start than it saves). */
export const inlineSampleChecks: SampleCheckRunner = {
  run: async (input) => runSampleChecks(input),
  close: async () => undefined,
};

type Reply = { id: number; result: SampleChecksResult; error?: undefined } | { id: number; error: string };

/**
 * On a worker thread: while it hashes and measures one batch, the build's thread reads and samples the
 * next. A thread that fails or exits fails every batch still waiting, and each later one.
 */
export class WorkerSampleChecks implements SampleCheckRunner {
  // The thread holds one batch at a time: a small young generation keeps the build's RSS near what it was
  // without the thread (+15 MB on a 30 MB export), and a bounded old one fails the build, not the machine.
  private readonly worker = new Worker(new URL("./sampleChecksWorker.js", import.meta.url), {
    resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 128 },
  });
  private readonly waiting = new Map<
    number,
    { resolve: (result: SampleChecksResult) => void; reject: (error: Error) => void }
  >();
  private nextId = 0;
  private failure: Error | null = null;

  constructor() {
    this.worker.on("message", (reply: Reply) => {
      const waiter = this.waiting.get(reply.id);
      if (!waiter) return;
      this.waiting.delete(reply.id);
      if (reply.error !== undefined) waiter.reject(new Error(`sample checks failed: ${reply.error}`));
      else waiter.resolve(reply.result);
    });
    this.worker.on("error", (error) => this.fail(error));
    this.worker.on("exit", (code) => this.fail(new Error(`the sample checks thread exited (code ${code})`)));
  }

  run(input: SampleChecksInput): Promise<SampleChecksResult> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, input });
    });
  }

  async close(): Promise<void> {
    this.fail(new Error("the sample checks thread was closed"));
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.values()) waiter.reject(this.failure);
    this.waiting.clear();
  }
}
