import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { waitFor } from "@aiclone/testing/until";
import { Kafka, logLevel } from "kafkajs";
import { dropTopicsWithPrefix } from "../../testing/platform/kafkaTopics.js";
import { type DeliveredMessage, deadLetterTopic } from "./eventBus.js";
import { KafkaEventBus, type KafkaEventBusOptions } from "./kafkaEventBus.js";
import { eventBusContract } from "./test/eventBusContract.js";

const brokers = process.env.KAFKA_BROKERS?.split(",").filter(Boolean) ?? [];
const skip = brokers.length === 0;
const skipReason = "Kafka suite needs KAFKA_BROKERS (npm run services:up starts Kafka on 127.0.0.1:19092)";
if (skip) console.log(`skipped: ${skipReason}`);

const servicesScript = fileURLToPath(new URL("../../../scripts/services/services.mjs", import.meta.url));

/** Every bus of this run shares one prefix, so cleanup can drop exactly the topics it made. */
const runPrefix = `it-${randomUUID().slice(0, 8)}.`;
const newBus = (extra: Partial<KafkaEventBusOptions> = {}) =>
  new KafkaEventBus({ brokers, clientId: "int-test", topicPrefix: runPrefix, retryBaseMs: 20, ...extra });

function restartKafka(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [servicesScript, "restart", "kafka"], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`restart failed (${code}): ${stderr}`)),
    );
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function brokerAccepts(): Promise<boolean> {
  const [host, port] = brokers[0]!.split(":");
  return new Promise((resolve) => {
    const socket = connect({ host: host!, port: Number(port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** A consumer's effects, applied once per event id however often the event is delivered. */
class DedupingConsumer {
  readonly seen = new Set<string>();
  deliveries = 0;
  effects = 0;
  constructor(private readonly workMs = 0) {}
  handle = async (m: DeliveredMessage) => {
    this.deliveries++;
    if (this.workMs) await sleep(this.workMs);
    const id = (m.value as { id: string }).id;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.effects++;
  };
}

if (skip) {
  describe("kafka event bus", () => {
    it("event bus contract: kafka", { skip: skipReason }, () => {});
    it("survives a broker restart mid-stream", { skip: skipReason }, () => {});
    it("splits a group between two bus instances", { skip: skipReason }, () => {});
    it("dead-letters a poison message", { skip: skipReason }, () => {});
    it("dead-letters a record that is not JSON", { skip: skipReason }, () => {});
  });
} else {
  after(() => dropTopicsWithPrefix(brokers, runPrefix));

  eventBusContract("kafka", async () => {
    const bus = newBus();
    return { bus, cleanup: () => bus.close() };
  });

  describe("kafka event bus", () => {
    let bus: KafkaEventBus;
    before(() => {
      bus = newBus();
    });
    after(() => bus.close());

    it("loses nothing across a broker restart in the middle of 10,000 events", {
      timeout: 120_000,
    }, async () => {
      const topic = `restart-${randomUUID().slice(0, 8)}`;
      // About 1 ms of work per event keeps the consumer busy while the broker goes away and comes back.
      const consumer = new DedupingConsumer(1);
      await bus.subscribe(topic, { group: "restart" }, consumer.handle);
      const total = 10_000;
      const batch = 250;
      let publishRetries = 0;
      let restart: Promise<void> | undefined;
      let seenAtRestart = 0;
      let stopped = false;
      const started = Date.now();
      for (let from = 0; from < total; from += batch) {
        if (from === total / 2) {
          seenAtRestart = consumer.seen.size;
          restart = restartKafka();
          void (async () => {
            while (!stopped && (await brokerAccepts())) await sleep(50);
            stopped = true;
          })();
          // Publishing alone outruns the stop: wait until the broker is really gone, then publish into the outage.
          await waitFor(
            () => stopped,
            () => "broker still answers after restart began",
            30_000,
          );
        }
        const messages = Array.from({ length: batch }, (_, i) => {
          const n = from + i;
          return { key: `clone-${n % 37}`, value: { id: `e-${n}`, n } };
        });
        // A publisher is at least once too: a batch that failed is sent again, the consumer dedupes.
        for (;;) {
          try {
            await bus.publish(topic, messages);
            break;
          } catch {
            publishRetries++;
            await sleep(500);
          }
        }
        if (from >= total / 2) await sleep(100);
      }
      await restart;
      await waitFor(
        () => consumer.seen.size === total,
        () => `${consumer.seen.size}/${total} distinct events seen`,
        90_000,
      );
      console.log(
        `restart: ${total} events in ${Date.now() - started} ms, ${consumer.deliveries} deliveries, ` +
          `${consumer.deliveries - consumer.effects} redeliveries deduped, ${publishRetries} publish retries, ` +
          `${seenAtRestart} consumed when the restart began`,
      );
      assert.equal(consumer.seen.size, total);
      assert.equal(consumer.effects, total);
      assert.ok(
        seenAtRestart > 0 && seenAtRestart < total,
        "the restart must fall in the middle of consumption",
      );
      for (let n = 0; n < total; n++) assert.ok(consumer.seen.has(`e-${n}`), `event e-${n} lost`);
    });

    it("splits one group's partitions between two bus instances", { timeout: 60_000 }, async () => {
      const topic = `shared-${randomUUID().slice(0, 8)}`;
      const other = newBus();
      try {
        const one = new DedupingConsumer();
        const two = new DedupingConsumer();
        await bus.subscribe(topic, { group: "workers" }, one.handle);
        await other.subscribe(topic, { group: "workers" }, two.handle);
        const total = 1_000;
        await bus.publish(
          topic,
          Array.from({ length: total }, (_, n) => ({ key: `clone-${n % 50}`, value: { id: `s-${n}`, n } })),
        );
        const union = () => new Set([...one.seen, ...two.seen]);
        await waitFor(
          () => union().size === total,
          () => `${union().size}/${total}`,
          30_000,
        );
        console.log(
          `shared group: one=${one.seen.size} two=${two.seen.size} deliveries=${one.deliveries + two.deliveries}`,
        );
        assert.ok(one.seen.size > 0 && two.seen.size > 0, `one=${one.seen.size} two=${two.seen.size}`);
        // The group was stable while publishing: no message went to both members.
        assert.equal(one.seen.size + two.seen.size, total);
      } finally {
        await other.close();
      }
    });

    it("dead-letters a poison message with the failure in headers and keeps the partition moving", {
      timeout: 60_000,
    }, async () => {
      const topic = `poison-${randomUUID().slice(0, 8)}`;
      const handled: number[] = [];
      const attempts: number[] = [];
      const dead: DeliveredMessage[] = [];
      await bus.subscribe(deadLetterTopic(topic), { group: "dlq" }, async (m) => {
        dead.push(m);
      });
      await bus.subscribe(topic, { group: "worker", maxAttempts: 3 }, async (m) => {
        const value = m.value as { n: number; poison?: boolean };
        if (value.poison) {
          attempts.push(m.attempt);
          throw new Error(`cannot handle message ${value.n}`);
        }
        handled.push(value.n);
      });
      const messages = Array.from({ length: 100 }, (_, n) => ({
        key: "one-clone",
        value: n === 40 ? { n, poison: true } : { n },
        headers: { "event-type": "Test" },
      }));
      await bus.publish(topic, messages);
      await waitFor(
        () => handled.length === 99 && dead.length === 1,
        () => `handled=${handled.length} dead=${dead.length}`,
        30_000,
      );
      // Same key, same partition: the messages after the poison one still arrive, in order.
      assert.deepEqual(
        handled,
        Array.from({ length: 100 }, (_, n) => n).filter((n) => n !== 40),
      );
      assert.deepEqual(attempts, [1, 2, 3]);
      const letter = dead[0]!;
      assert.deepEqual(letter.value, { n: 40, poison: true });
      assert.equal(letter.key, "one-clone");
      assert.equal(letter.headers?.["x-original-topic"], topic);
      assert.match(letter.headers?.["x-original-partition"] ?? "", /^\d+$/);
      assert.equal(letter.headers?.["x-original-offset"], "40");
      assert.equal(letter.headers?.["x-error"], "cannot handle message 40");
      assert.equal(letter.headers?.["x-attempts"], "3");
      assert.equal(letter.headers?.["event-type"], "Test");
    });

    it("dead-letters a record that is not JSON without retrying it", { timeout: 30_000 }, async () => {
      const topic = `raw-${randomUUID().slice(0, 8)}`;
      const handled: unknown[] = [];
      const dead: DeliveredMessage[] = [];
      await bus.subscribe(topic, { group: "worker" }, async (m) => {
        handled.push(m.value);
      });
      await bus.subscribe(deadLetterTopic(topic), { group: "dlq" }, async (m) => {
        dead.push(m);
      });
      // Someone else's producer wrote bytes this bus would never write.
      const producer = new Kafka({
        brokers,
        clientId: "int-test-raw",
        logLevel: logLevel.NOTHING,
      }).producer();
      await producer.connect();
      await producer.send({
        topic: `${runPrefix}${topic}`,
        messages: [
          { key: "k", value: "{not json" },
          { key: "k", value: JSON.stringify({ ok: true }) },
        ],
      });
      await producer.disconnect();
      await waitFor(
        () => handled.length === 1 && dead.length === 1,
        () => `handled=${handled.length} dead=${dead.length}`,
        20_000,
      );
      assert.deepEqual(handled, [{ ok: true }]);
      assert.match(dead[0]?.headers?.["x-error"] ?? "", /not JSON/);
      assert.equal(dead[0]?.headers?.["x-attempts"], "0");
      assert.equal(dead[0]?.value, "{not json");
      assert.equal(dead[0]?.headers?.["x-original-value"], "wrapped-as-json-string");
    });
  });
}
