/**
 * Append throughput and latency of the embedded (SQLite) event store, whose every commit waits for an fsync of the
 * WAL (`synchronous = FULL`). Run: `node dist/bench/eventStoreAppend.js [--events N]`.
 *
 * Four scenarios, each writing N events into a fresh temp-dir store: one event per append, batches of 100, eight
 * writers sharing one store instance (how one platform process serves concurrent commands) and eight writers each on
 * its own connection in a worker thread (how several processes on one file contend for SQLite's single write lock).
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import type { NewEvent } from "../infra/eventstore/eventStore.js";
import { SqliteEventStore } from "../infra/eventstore/sqliteEventStore.js";
import { percentile } from "./percentile.js";

const DEFAULT_EVENTS = 5_000;
const BATCH_SIZE = 100;
const WRITERS = 8;

interface Measurement {
  scenario: string;
  events: number;
  appends: number;
  seconds: number;
  /** Milliseconds per append call. */
  latencies: number[];
}

interface WriterJob {
  file: string;
  streamId: string;
  appends: number;
}

if (isMainThread) {
  await main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
} else {
  await runWorkerWriter(workerData as WriterJob);
}

async function main(): Promise<void> {
  const events = parseEventCount();
  const dir = await mkdtemp(join(tmpdir(), "bench-event-store-"));
  const fileFor = (scenario: string): string => join(dir, `${scenario}.sqlite`);
  try {
    const results = [
      await withStore(fileFor("single"), (store) => sequential(store, events)),
      await withStore(fileFor("batched"), (store) => batched(store, events)),
      await withStore(fileFor("shared"), (store) => writersOnOneStore(store, events)),
      await writersOnOwnConnections(fileFor("threads"), events),
    ];
    console.log(
      `SqliteEventStore append benchmark: ${events} events per scenario, node ${process.version}, ${dir}`,
    );
    console.log(formatTable(results));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function parseEventCount(): number {
  const { values } = parseArgs({ options: { events: { type: "string" } } });
  if (values.events === undefined) return DEFAULT_EVENTS;
  const count = Number(values.events);
  if (!Number.isSafeInteger(count) || count < WRITERS) {
    throw new Error(`--events must be an integer of at least ${WRITERS}, got ${values.events}`);
  }
  return count;
}

async function withStore(
  file: string,
  run: (store: SqliteEventStore) => Promise<Measurement>,
): Promise<Measurement> {
  const store = await SqliteEventStore.open(file);
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}

async function sequential(store: SqliteEventStore, events: number): Promise<Measurement> {
  const streamId = `bench-${randomUUID()}`;
  const started = performance.now();
  const latencies = await appendTimed(store, streamId, events, 1);
  return {
    scenario: "sequential, 1 event/append",
    events,
    appends: events,
    seconds: elapsed(started),
    latencies,
  };
}

async function batched(store: SqliteEventStore, events: number): Promise<Measurement> {
  const streamId = `bench-${randomUUID()}`;
  const appends = Math.ceil(events / BATCH_SIZE);
  const started = performance.now();
  const latencies = await appendTimed(store, streamId, appends, BATCH_SIZE);
  const scenario = `batched, ${BATCH_SIZE} events/append`;
  return { scenario, events: appends * BATCH_SIZE, appends, seconds: elapsed(started), latencies };
}

async function writersOnOneStore(store: SqliteEventStore, events: number): Promise<Measurement> {
  const perWriter = Math.floor(events / WRITERS);
  const started = performance.now();
  const perStream = await Promise.all(
    Array.from({ length: WRITERS }, () => appendTimed(store, `bench-${randomUUID()}`, perWriter, 1)),
  );
  const scenario = `${WRITERS} writers, one store`;
  const total = perWriter * WRITERS;
  return { scenario, events: total, appends: total, seconds: elapsed(started), latencies: perStream.flat() };
}

/** Each worker opens its own store on the file, waits for "go" so start-up is not timed, then reports latencies. */
async function writersOnOwnConnections(file: string, events: number): Promise<Measurement> {
  // Create the file and its schema once, so the writers do not race to create it.
  await (await SqliteEventStore.open(file)).close();
  const perWriter = Math.floor(events / WRITERS);
  const workers = Array.from({ length: WRITERS }, () => {
    const job: WriterJob = { file, streamId: `bench-${randomUUID()}`, appends: perWriter };
    return new Worker(new URL(import.meta.url), { workerData: job });
  });
  await Promise.all(workers.map((worker) => nextMessage(worker)));
  const started = performance.now();
  for (const worker of workers) worker.postMessage("go");
  const perStream = (await Promise.all(workers.map((worker) => nextMessage(worker)))) as number[][];
  const seconds = elapsed(started);
  await Promise.all(workers.map((worker) => worker.terminate()));
  const total = perWriter * WRITERS;
  const scenario = `${WRITERS} writers, own connections`;
  return { scenario, events: total, appends: total, seconds, latencies: perStream.flat() };
}

async function runWorkerWriter(job: WriterJob): Promise<void> {
  const port = parentPort!;
  const store = await SqliteEventStore.open(job.file);
  const go = new Promise<void>((resolve) => port.once("message", () => resolve()));
  port.postMessage("ready");
  await go;
  const latencies = await appendTimed(store, job.streamId, job.appends, 1);
  await store.close();
  port.postMessage(latencies);
}

/** Appends `appends` batches of `batchSize` events to one stream with the exact expected revision, as a decider would. */
async function appendTimed(
  store: SqliteEventStore,
  streamId: string,
  appends: number,
  batchSize: number,
): Promise<number[]> {
  const latencies: number[] = [];
  for (let index = 0; index < appends; index++) {
    const batch = Array.from({ length: batchSize }, () => benchEvent());
    const expected = index === 0 ? "no_stream" : index * batchSize - 1;
    const started = performance.now();
    await store.append(streamId, batch, expected);
    latencies.push(performance.now() - started);
  }
  return latencies;
}

/** About the size of a real lifecycle event (a few hundred bytes of JSON). */
function benchEvent(): NewEvent {
  return {
    id: randomUUID(),
    type: "TrainingProgressed",
    data: { cloneId: randomUUID(), step: 120, totalSteps: 1_000, loss: 1.2345, learningRate: 0.0002 },
    metadata: {
      principal: "worker:trainer",
      timestamp: new Date().toISOString(),
      correlationId: randomUUID(),
    },
  };
}

function nextMessage(worker: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
}

function elapsed(startedMs: number): number {
  return (performance.now() - startedMs) / 1_000;
}

function formatTable(results: Measurement[]): string {
  const header = ["scenario", "events", "s", "events/s", "appends/s", "p50 ms", "p99 ms", "max ms"];
  const rows = results.map((result) => {
    return [
      result.scenario,
      String(result.events),
      result.seconds.toFixed(2),
      (result.events / result.seconds).toFixed(0),
      (result.appends / result.seconds).toFixed(0),
      percentile(result.latencies, 50).toFixed(2),
      percentile(result.latencies, 99).toFixed(2),
      percentile(result.latencies, 100).toFixed(2),
    ];
  });
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[column]!)))
      .join("  ");
  return [line(header), ...rows.map(line)].join("\n");
}
