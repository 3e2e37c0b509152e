import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseEnvelope } from "../bus/eventEnvelope.js";
import { InProcessEventBus } from "../bus/inProcessEventBus.js";
import { SqliteDocumentStore } from "../docstore/sqliteDocumentStore.js";
import type { RecordedEvent } from "../eventstore/eventStore.js";
import { SqliteEventStore } from "../eventstore/sqliteEventStore.js";
import { type CheckpointDoc, EventRelay } from "./eventRelay.js";
import { newEvents, quietLogger } from "./test/relayFixtures.js";

/** One "process": a store, a bus with one consumer group recording deliveries, and a relay. */
async function openProcess(dir: string, delivered: RecordedEvent[]) {
  const store = await SqliteEventStore.open(join(dir, "events.sqlite"));
  const documents = await SqliteDocumentStore.open(join(dir, "docs.sqlite"));
  const bus = new InProcessEventBus();
  await bus.subscribe("clone-events", { group: "recorder" }, async (message) => {
    delivered.push(parseEnvelope(message.value));
  });
  const relay = new EventRelay(
    store,
    bus,
    documents.collection<CheckpointDoc>("relay_checkpoints"),
    quietLogger,
    "relay",
    50,
  );
  return {
    store,
    relay,
    async close() {
      await bus.close();
      await store.close();
      await documents.close();
    },
  };
}

describe("event relay", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "aiclone-relay-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("publishes the log in order per clone, resumes from its checkpoint, and never skips after a crash", async () => {
    const streams = Array.from({ length: 5 }, () => `clone-${randomUUID()}`);
    const first: RecordedEvent[] = [];
    const one = await openProcess(dir, first);
    for (let round = 0; round < 20; round++)
      for (const stream of streams) await one.store.append(stream, newEvents(5, `a${round}`), "any");
    await one.relay.start();
    await one.relay.waitFor(await one.store.headPosition(), 10_000);
    assert.equal(first.length, 500);
    for (const stream of streams) {
      const revisions = first.filter((e) => e.streamId === stream).map((e) => e.revision);
      assert.deepEqual(
        revisions,
        Array.from({ length: 100 }, (_, i) => i),
      );
    }
    // Partitioned by clone id: the key is the id, so one clone's events go to one consumer in order.
    await one.relay.stop();
    await one.close();

    // A clean restart resumes strictly after the checkpoint.
    const second: RecordedEvent[] = [];
    const two = await openProcess(dir, second);
    await two.store.append(streams[0]!, newEvents(3, "b"), "any");
    await two.relay.start();
    await two.relay.waitFor(await two.store.headPosition(), 10_000);
    assert.deepEqual(
      second.map((e) => [e.streamId, e.revision]),
      [
        [streams[0], 100],
        [streams[0], 101],
        [streams[0], 102],
      ],
    );

    // A crash (no stop: the last checkpoint may be behind) republishes, at least once, but skips nothing.
    await two.store.append(streams[1]!, newEvents(120, "c"), "any");
    await two.relay.waitFor(await two.store.headPosition(), 10_000);
    await two.close();
    const third: RecordedEvent[] = [];
    const three = await openProcess(dir, third);
    await three.relay.start();
    await three.relay.waitFor(await three.store.headPosition(), 10_000);
    const delivered = new Set([...second, ...third].map((e) => e.id));
    const all: RecordedEvent[] = [];
    for await (const e of three.store.readStream(streams[1]!, { fromRevision: 100 })) all.push(e);
    assert.equal(all.length, 120);
    for (const e of all)
      assert.ok(delivered.has(e.id), `event ${e.streamId}@${e.revision} was never delivered`);
    await three.relay.stop();
    await three.close();
  });
});
