/**
 * Events per second through relay → bus → projection → subscription feed, and projection lag (append
 * acknowledged → update delivered to a subscriber) under that load: the in-process bus and Kafka, in one run.
 * Usage: node dist/bench/busThroughput.js [--clones 50] [--updates 40]   (Kafka part needs KAFKA_BROKERS)
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
import { percentile } from "./percentile.js";

const { values } = parseArgs({
  options: { clones: { type: "string", default: "50" }, updates: { type: "string", default: "40" } },
});
const cloneCount = Number(values.clones);
const updatesPerClone = Number(values.updates);
const quiet = { info() {}, error() {} };

interface Result {
  bus: string;
  events: number;
  seconds: number;
  lags: number[];
}

async function measure(name: string, makeBus: () => EventBus): Promise<Result> {
  const dir = await mkdtemp(join(tmpdir(), "aiclone-bench-bus-"));
  const store = await SqliteEventStore.open(join(dir, "events.sqlite"));
  const documents = await SqliteDocumentStore.open(join(dir, "read-models.sqlite"));
  const bus = makeBus();
  const models = new ReadModels(documents);
  const projector = new Projector(models, bus);
  const feed = new UpdateFeed(bus);
  const relay = new EventRelay(store, bus, documents.collection<CheckpointDoc>("relay_checkpoints"), quiet);
  try {
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
    const appendedAt = new Map<string, number>();
    const lags: number[] = [];
    let delivered = 0;
    let lastDelivery = 0;
    let allDelivered: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      allDelivered = resolve;
    });
    const queues = clones.map((cloneId) => feed.listen(cloneId));
    for (const queue of queues)
      void (async () => {
        for await (const update of queue) {
          const at = performance.now();
          const sent = appendedAt.get(update.event.id);
          if (sent === undefined) continue;
          lags.push(at - sent);
          lastDelivery = at;
          if (++delivered === cloneCount * updatesPerClone) allDelivered();
        }
      })();
    // Warm-up: every clone exists and the feed's consumer is live before the clock starts.
    const created = await Promise.all(
      clones.map((cloneId) => run({ type: "CreateClone", cloneId, actor: owner, name: "bench" })),
    );
    void created;
    for (let probe = 0; ; probe++) {
      const count = await models.clones.count({});
      if (count === cloneCount && feed.listenerCount === cloneCount) break;
      if (probe > 600) throw new Error(`${name}: warm-up did not finish`);
      await new Promise((r) => setTimeout(r, 100));
    }

    const started = performance.now();
    await Promise.all(
      clones.map(async (cloneId) => {
        for (let i = 0; i < updatesPerClone; i++) {
          const outcome = await run({
            type: "ConfigurePersona",
            cloneId,
            actor: owner,
            displayName: "Маша",
            systemPrompt: `версия ${i}`,
            language: "ru",
          });
          const now = performance.now();
          for (const event of outcome.events) appendedAt.set(event.id, now);
        }
      }),
    );
    await Promise.race([
      done,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`${name}: only ${delivered} updates arrived`)), 120_000),
      ),
    ]);
    for (const queue of queues) await queue.return();
    return { bus: name, events: delivered, seconds: (lastDelivery - started) / 1000, lags };
  } finally {
    await relay.stop();
    await feed.stop();
    await projector.stop();
    await bus.close();
    await store.close();
    await documents.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const results: Result[] = [await measure("in-process", () => new InProcessEventBus())];
const brokers = process.env.KAFKA_BROKERS;
if (brokers) {
  const topicPrefix = `bench-${randomBytes(4).toString("hex")}.`;
  results.push(
    await measure(
      "kafka",
      () =>
        new KafkaEventBus({
          brokers: brokers.split(","),
          clientId: "aiclone-bench",
          topicPrefix,
          partitions: 6,
        }),
    ),
  );
} else {
  console.log("kafka: skipped (set KAFKA_BROKERS, e.g. after `npm run services:up`)");
}

console.log(
  `relay → bus → projection → subscription feed: ${cloneCount} clones × ${updatesPerClone} updates, appended concurrently`,
);
console.log("bus         events  events/s  lag p50 ms  lag p99 ms  lag max ms");
for (const r of results) {
  const cells = [
    r.bus.padEnd(10),
    String(r.events).padStart(7),
    (r.events / r.seconds).toFixed(0).padStart(9),
    percentile(r.lags, 50).toFixed(1).padStart(11),
    percentile(r.lags, 99).toFixed(1).padStart(11),
    Math.max(...r.lags)
      .toFixed(1)
      .padStart(11),
  ];
  console.log(cells.join(" "));
}
