/**
 * Events per second through relay → bus → projection → subscription feed, and projection lag (append
 * acknowledged → update delivered to a subscriber), in three profiles on each bus, in one run:
 * - saturation: every clone's updates appended as fast as its writer can, all clones at once (the
 *   append path and the event path together);
 * - fixed rate: `--rate` events/s spread over the clones (below saturation): the lag a steady load sees;
 * - catch-up: a backlog appended while the relay is stopped, then drained: the event path alone.
 * Usage: node dist/bench/busThroughput.js [--clones 50] [--updates 40] [--rate 1000] [--seconds 4]
 *        [--profiles saturation,rate,catch-up]   (the Kafka part needs KAFKA_BROKERS)
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { UpdateFeed } from "../api/subscriptions/updateFeed.js";
import {
  type CloneCommand,
  cloneDecider,
  cloneStreamId,
  newId,
  parseCloneEvent,
  principalOf,
} from "../domain/index.js";
import type { EventBus } from "../infra/bus/eventBus.js";
import { InProcessEventBus } from "../infra/bus/inProcessEventBus.js";
import { KafkaEventBus } from "../infra/bus/kafkaEventBus.js";
import { SqliteDocumentStore } from "../infra/docstore/sqliteDocumentStore.js";
import { CommandHandler } from "../infra/eventsourcing/commandHandler.js";
import { SqliteEventStore } from "../infra/eventstore/sqliteEventStore.js";
import { type CheckpointDoc, EventRelay } from "../infra/relay/eventRelay.js";
import { Projector } from "../projections/projector.js";
import { ReadModels } from "../projections/readModels.js";
import { dropTopicsWithPrefix } from "../testing/platform/kafkaTopics.js";
import { percentile } from "./percentile.js";

const { values } = parseArgs({
  options: {
    clones: { type: "string", default: "50" },
    updates: { type: "string", default: "40" },
    rate: { type: "string", default: "1000" },
    seconds: { type: "string", default: "4" },
    profiles: { type: "string", default: "saturation,rate,catch-up" },
  },
});
const cloneCount = Number(values.clones);
const updatesPerClone = Number(values.updates);
const rate = Number(values.rate);
const rateSeconds = Number(values.seconds);
const profiles = values.profiles.split(",");
const quiet = { info() {}, error() {} };

interface Result {
  bus: string;
  profile: string;
  events: number;
  seconds: number;
  /** Appends acknowledged per second over the same run (what the writers managed). */
  appendRate: number;
  lags: number[];
}

/** One pipeline on fresh files: event store, relay, bus, projector and feed, with every clone created. */
async function openPipeline(makeBus: () => EventBus) {
  const dir = await mkdtemp(join(tmpdir(), "aiclone-bench-bus-"));
  const store = await SqliteEventStore.open(join(dir, "events.sqlite"));
  const documents = await SqliteDocumentStore.open(join(dir, "read-models.sqlite"));
  const bus = makeBus();
  const models = new ReadModels(documents);
  const projector = new Projector(models, bus);
  const feed = new UpdateFeed(bus);
  const checkpoints = documents.collection<CheckpointDoc>("relay_checkpoints");
  let relay = new EventRelay(store, bus, checkpoints, quiet);
  await projector.start();
  await feed.start();
  await relay.start();
  const commands = new CommandHandler(store);
  const owner = { kind: "owner", ownerId: newId() } as const;
  const run = (command: CloneCommand) =>
    commands.handle(cloneStreamId(command.cloneId), cloneDecider, parseCloneEvent, command, {
      principal: principalOf(owner),
    });
  const clones = Array.from({ length: cloneCount }, () => newId());
  await Promise.all(
    clones.map((cloneId) => run({ type: "CreateClone", cloneId, actor: owner, name: "bench" })),
  );
  let version = 0;
  return {
    clones,
    feed,
    models,
    /** One persona update of a clone; resolves with its events once appended. */
    update: async (cloneId: string) =>
      (
        await run({
          type: "ConfigurePersona",
          cloneId,
          actor: owner,
          displayName: "Маша",
          systemPrompt: `версия ${version++}`,
          language: "ru",
        })
      ).events,
    stopRelay: () => relay.stop(),
    startRelay: async () => {
      relay = new EventRelay(store, bus, checkpoints, quiet);
      await relay.start();
    },
    async close() {
      await relay.stop();
      await feed.stop();
      await projector.stop();
      await bus.close();
      await store.close();
      await documents.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
type Pipeline = Awaited<ReturnType<typeof openPipeline>>;

/** Listens to every clone's feed; `expect(n)` resolves once n updates of the measured events arrived. */
function recordDeliveries(pipeline: Pipeline, name: string) {
  const appendedAt = new Map<string, number>();
  const lags: number[] = [];
  const state = { delivered: 0, lastDelivery: 0, target: Number.POSITIVE_INFINITY, done: () => {} };
  const queues = pipeline.clones.map((cloneId) => pipeline.feed.listen(cloneId));
  for (const queue of queues)
    void (async () => {
      for await (const update of queue) {
        const at = performance.now();
        const sent = appendedAt.get(update.event.id);
        if (sent === undefined) continue;
        lags.push(at - sent);
        state.lastDelivery = at;
        if (++state.delivered === state.target) state.done();
      }
    })();
  return {
    appendedAt,
    lags,
    state,
    expect: (count: number) =>
      new Promise<void>((resolve, reject) => {
        state.target = count;
        state.done = resolve;
        if (state.delivered >= count) resolve();
        setTimeout(
          () => reject(new Error(`${name}: only ${state.delivered} of ${count} arrived`)),
          180_000,
        ).unref();
      }),
    close: () => Promise.all(queues.map((q) => q.return())),
  };
}

async function warmUp(pipeline: Pipeline, name: string): Promise<void> {
  for (let probe = 0; ; probe++) {
    const count = await pipeline.models.clones.count({});
    if (count === cloneCount && pipeline.feed.listenerCount === cloneCount) return;
    if (probe > 600) throw new Error(`${name}: warm-up did not finish`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Appends `total` updates round-robin over the clones, one writer per clone, started at `perSecond`. */
async function appendAtRate(
  pipeline: Pipeline,
  total: number,
  perSecond: number,
  appendedAt: Map<string, number>,
) {
  const chains = pipeline.clones.map(() => Promise.resolve());
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const c = i % pipeline.clones.length;
    chains[c] = chains[c]!.then(async () => {
      const events = await pipeline.update(pipeline.clones[c]!);
      const now = performance.now();
      for (const event of events) appendedAt.set(event.id, now);
    });
  }
  await Promise.all(chains);
  return performance.now() - started;
}

async function measure(bus: string, profile: string, makeBus: () => EventBus): Promise<Result> {
  const name = `${bus} ${profile}`;
  const pipeline = await openPipeline(makeBus);
  const record = recordDeliveries(pipeline, name);
  try {
    await warmUp(pipeline, name);
    const total = profile === "rate" ? Math.round(rate * rateSeconds) : cloneCount * updatesPerClone;
    if (profile === "catch-up") await pipeline.stopRelay();
    const started = performance.now();
    const appendMs =
      profile === "rate"
        ? await appendAtRate(pipeline, total, rate, record.appendedAt)
        : await appendAtRate(pipeline, total, Number.POSITIVE_INFINITY, record.appendedAt);
    let from = started;
    if (profile === "catch-up") {
      from = performance.now();
      await pipeline.startRelay();
    }
    await record.expect(total);
    const seconds = (record.state.lastDelivery - from) / 1000;
    return { bus, profile, events: total, seconds, appendRate: total / (appendMs / 1000), lags: record.lags };
  } finally {
    await record.close();
    await pipeline.close();
  }
}

const buses: [string, () => EventBus][] = [["in-process", () => new InProcessEventBus()]];
const brokers = process.env.KAFKA_BROKERS;
const topicPrefix = `bench-${randomBytes(4).toString("hex")}.`;
if (brokers) {
  let round = 0;
  buses.push([
    "kafka",
    () =>
      new KafkaEventBus({
        brokers: brokers.split(","),
        clientId: "aiclone-bench",
        topicPrefix: `${topicPrefix}${round++}.`,
        partitions: 6,
      }),
  ]);
} else console.log("kafka: skipped (set KAFKA_BROKERS, e.g. after `npm run services:up`)");

const results: Result[] = [];
try {
  for (const [bus, makeBus] of buses)
    for (const profile of profiles) results.push(await measure(bus, profile, makeBus));
} finally {
  if (brokers) await dropTopicsWithPrefix(brokers.split(","), topicPrefix);
}

console.log(`relay → bus → projection → subscription feed: ${cloneCount} clones`);
console.log("  saturation: each clone's updates appended back to back, all clones at once");
console.log(`  rate: ${rate} events/s for ${rateSeconds} s, round-robin over the clones`);
console.log("  catch-up: the backlog appended with the relay stopped, then drained (lag includes the wait)");
console.log("bus         profile      events  appends/s  events/s  lag p50 ms  lag p99 ms  lag max ms");
for (const r of results) {
  const cells = [
    r.bus.padEnd(10),
    r.profile.padEnd(10),
    String(r.events).padStart(8),
    r.appendRate.toFixed(0).padStart(10),
    (r.events / r.seconds).toFixed(0).padStart(9),
    percentile(r.lags, 50).toFixed(1).padStart(11),
    percentile(r.lags, 99).toFixed(1).padStart(11),
    Math.max(...r.lags)
      .toFixed(1)
      .padStart(11),
  ];
  console.log(cells.join(" "));
}
