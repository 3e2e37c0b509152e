import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { waitFor } from "@aiclone/testing/until";
import { dropTopicsWithPrefix } from "../../testing/platform/kafkaTopics.js";
import { parseEnvelope } from "../bus/eventEnvelope.js";
import { KafkaEventBus } from "../bus/kafkaEventBus.js";
import { SqliteDocumentStore } from "../docstore/sqliteDocumentStore.js";
import type { RecordedEvent } from "../eventstore/eventStore.js";
import { SqliteEventStore } from "../eventstore/sqliteEventStore.js";
import { type CheckpointDoc, EventRelay } from "./eventRelay.js";
import { newEvents, quietLogger } from "./test/relayFixtures.js";

const brokers = process.env.KAFKA_BROKERS?.split(",").filter(Boolean) ?? [];
const skipReason = "Kafka suite needs KAFKA_BROKERS (npm run services:up starts Kafka on 127.0.0.1:19092)";
if (brokers.length === 0) console.log(`skipped: ${skipReason}`);

const prefix = `it-relay-${randomUUID().slice(0, 8)}.`;
const newBus = () =>
  new KafkaEventBus({ brokers, clientId: "relay-int-test", topicPrefix: prefix, partitions: 3 });

/** A projection's view of the bus: effects applied once per event id, first deliveries kept in order. */
class Recorder {
  readonly firstSeen: RecordedEvent[] = [];
  private readonly ids = new Set<string>();
  deliveries = 0;
  handle = async (value: unknown) => {
    const event = parseEnvelope(value);
    this.deliveries++;
    if (this.ids.has(event.id)) return;
    this.ids.add(event.id);
    this.firstSeen.push(event);
  };
  get distinct(): number {
    return this.ids.size;
  }
}

/** One platform "process": its own store handles, bus and relay over the shared files. */
async function openProcess(dir: string) {
  const store = await SqliteEventStore.open(join(dir, "events.sqlite"));
  const documents = await SqliteDocumentStore.open(join(dir, "docs.sqlite"));
  const bus = newBus();
  const checkpoints = documents.collection<CheckpointDoc>("relay_checkpoints");
  const relay = new EventRelay(store, bus, checkpoints, quietLogger, "relay", 50);
  return {
    store,
    relay,
    checkpoints,
    async close() {
      await bus.close();
      await store.close();
      await documents.close();
    },
  };
}

describe("event relay on Kafka", { skip: brokers.length === 0 ? skipReason : false }, () => {
  let dir: string;
  let consumerBus: KafkaEventBus;
  const recorder = new Recorder();
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "aiclone-relay-kafka-"));
    consumerBus = newBus();
    await consumerBus.subscribe("clone-events", { group: "recorder" }, (m) => recorder.handle(m.value));
  });
  after(async () => {
    await consumerBus?.close();
    await rm(dir, { recursive: true, force: true });
    await dropTopicsWithPrefix(brokers, prefix);
  });

  it("resumes after its checkpoint when stopped and restarted; a crash republishes but consumers see each event once", {
    timeout: 90_000,
  }, async () => {
    const streams = Array.from({ length: 5 }, () => `clone-${randomUUID()}`);

    const one = await openProcess(dir);
    for (let round = 0; round < 10; round++)
      for (const stream of streams) await one.store.append(stream, newEvents(3, `a${round}`), "any");
    await one.relay.start();
    await one.relay.waitFor(await one.store.headPosition(), 30_000);
    await waitFor(
      () => recorder.distinct === 150,
      () => `${recorder.distinct}/150 delivered`,
      30_000,
    );
    // Same key per clone → same partition → a clone's events arrive in revision order.
    for (const stream of streams)
      assert.deepEqual(
        recorder.firstSeen.filter((e) => e.streamId === stream).map((e) => e.revision),
        Array.from({ length: 30 }, (_, i) => i),
      );
    const head = await one.store.headPosition();
    await one.relay.stop();
    await one.close();
    assert.equal(
      (await reopenCheckpoint(dir))?.position,
      head,
      "a clean stop saves the checkpoint at the head",
    );

    // A clean restart publishes only what was appended after the checkpoint.
    const two = await openProcess(dir);
    await two.store.append(streams[0]!, newEvents(4, "b"), "any");
    const deliveriesBefore = recorder.deliveries;
    await two.relay.start();
    await two.relay.waitFor(await two.store.headPosition(), 30_000);
    await waitFor(
      () => recorder.distinct === 154,
      () => `${recorder.distinct}/154 delivered`,
      30_000,
    );
    assert.equal(
      recorder.deliveries - deliveriesBefore,
      4,
      "nothing before the checkpoint was published again",
    );
    assert.deepEqual(
      recorder.firstSeen.slice(150).map((e) => [e.streamId, e.revision]),
      [30, 31, 32, 33].map((r) => [streams[0], r]),
    );

    // A crash (bus gone, relay never stopped): the saved checkpoint may lag, so some events go out twice.
    await two.store.append(streams[1]!, newEvents(120, "c"), "any");
    await two.relay.waitFor(await two.store.headPosition(), 30_000);
    await two.close();
    const three = await openProcess(dir);
    await three.relay.start();
    await three.relay.waitFor(await three.store.headPosition(), 30_000);
    await waitFor(
      () => recorder.distinct === 274,
      () => `${recorder.distinct}/274 delivered`,
      30_000,
    );
    await three.relay.stop();
    await three.close();
    const all: string[] = [];
    const store = await SqliteEventStore.open(join(dir, "events.sqlite"));
    for (const stream of streams) for await (const e of store.readStream(stream)) all.push(e.id);
    await store.close();
    assert.equal(all.length, 274);
    const delivered = new Set(recorder.firstSeen.map((e) => e.id));
    for (const id of all) assert.ok(delivered.has(id), `event ${id} was never delivered`);
    assert.equal(recorder.firstSeen.length, 274, "each effect once");
    console.log(
      `relay: ${recorder.deliveries} deliveries for 274 events (${recorder.deliveries - 274} republished after the crash)`,
    );
  });
});

async function reopenCheckpoint(dir: string): Promise<CheckpointDoc | null> {
  const documents = await SqliteDocumentStore.open(join(dir, "docs.sqlite"));
  try {
    return await documents.collection<CheckpointDoc>("relay_checkpoints").get("relay");
  } finally {
    await documents.close();
  }
}
