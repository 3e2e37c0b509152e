/**
 * Command-to-subscription latency, end to end (HTTP, the event store, the relay, the bus, the projection,
 * graphql-ws), from sending `configurePersona` to receiving `cloneUpdated`:
 * - single, unloaded: one command in flight at a time, `--single` commands;
 * - single under load: the same probe while `--load-writers` other clones are updated back to back;
 * - concurrent: `--clones` clones updated at once, `--rounds` rounds (most of it queueing behind the others).
 * On embedded defaults, or over Kafka when KAFKA_BROKERS is set (a fresh topic prefix per run). The platform
 * runs on this process's main thread; every client (the probe, the writers, graphql-ws) on a worker thread, as
 * clients in other processes would, so the platform's event loop carries only the platform.
 * Usage: node dist/bench/subscriptionLatency.js [--single 200] [--load-writers 20] [--clones 100] [--rounds 5]
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { GraphQLTestClient, SubscriptionRecorder } from "../testing/platform/graphqlClient.js";
import { dropTopicsWithPrefix } from "../testing/platform/kafkaTopics.js";
import { PlatformHarness } from "../testing/platform/platformHarness.js";
import { percentile } from "./percentile.js";

const { values } = parseArgs({
  options: {
    single: { type: "string", default: "200" },
    "load-writers": { type: "string", default: "20" },
    clones: { type: "string", default: "100" },
    rounds: { type: "string", default: "5" },
  },
});
const singleCount = Number(values.single);
const loadWriters = Number(values["load-writers"]);
const cloneCount = Number(values.clones);
const rounds = Number(values.rounds);

const brokers = process.env.KAFKA_BROKERS;
const topicPrefix = `bench-${randomBytes(4).toString("hex")}.`;
const busEnv: Record<string, string> = brokers
  ? { AICLONE_BUS__KIND: "kafka", AICLONE_BUS__BROKERS: brokers, AICLONE_BUS__TOPIC_PREFIX: topicPrefix }
  : {};

/** What the client thread asks the platform's thread: wait until the feed has this many listeners. */
type ListenersWanted = { listeners: number };

if (isMainThread) {
  // A benchmark measures the pipeline, not the per-key rate limit that protects it.
  const harness = await PlatformHarness.start({
    AICLONE_API__LIMITS__REQUESTS_PER_MINUTE: "1000000",
    ...busEnv,
  });
  try {
    const feed = harness.platform.services.feed;
    const clients = new Worker(new URL(import.meta.url), {
      workerData: { url: harness.platform.graphqlUrl, apiKey: harness.platform.initialApiKey },
      argv: process.argv.slice(2),
    });
    clients.on("message", async ({ listeners }: ListenersWanted) => {
      while (feed.listenerCount < listeners) await new Promise((r) => setTimeout(r, 10));
      clients.postMessage("ready");
    });
    await new Promise<void>((resolve, reject) => {
      clients.once("error", reject);
      clients.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`clients exited ${code}`))));
    });
  } finally {
    await harness.destroy();
    if (brokers) await dropTopicsWithPrefix(brokers.split(","), topicPrefix);
  }
} else {
  await runClients(workerData as { url: string; apiKey: string });
}

async function runClients({ url, apiKey }: { url: string; apiKey: string }): Promise<void> {
  const api = new GraphQLTestClient(url, apiKey);
  const ws = api.ws();
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const summary = (xs: number[]) =>
    `p50 ${ms(percentile(xs, 50))}  p99 ${ms(percentile(xs, 99))}  max ${ms(Math.max(...xs))}`;

  async function createClones(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++)
      ids.push(
        (
          await api.data("mutation ($n: String!) { createClone(input: {name: $n}) { id } }", {
            n: `клон ${i}`,
          })
        ).createClone.id,
      );
    return ids;
  }

  const configure = (cloneId: string, systemPrompt: string) =>
    api.data("mutation ($input: ConfigurePersonaInput!) { configurePersona(input: $input) { revision } }", {
      input: { cloneId, displayName: "Маша", systemPrompt, language: "ru" },
    });

  let listeners = 0;
  async function subscribe(ids: string[]) {
    const subscriptions = ids.map(
      (id) =>
        new SubscriptionRecorder<any>(ws, "subscription ($id: ID!) { cloneUpdated(id: $id) { revision } }", {
          id,
        }),
    );
    listeners += ids.length;
    const ready = new Promise((resolve) => parentPort!.once("message", resolve));
    parentPort!.postMessage({ listeners } satisfies ListenersWanted);
    await ready;
    return subscriptions;
  }

  /** One command at a time on one clone: sent → its `cloneUpdated` received. */
  async function singleProbe(label: string): Promise<number[]> {
    const [cloneId] = await createClones(1);
    const [subscription] = await subscribe([cloneId!]);
    const latencies: number[] = [];
    for (let i = 1; i <= singleCount; i++) {
      const sent = performance.now();
      await configure(cloneId!, `${label} ${i}`);
      await subscription!.waitFor(i, 30_000);
      latencies.push(performance.now() - sent);
    }
    await subscription!.close();
    listeners -= 1;
    return latencies;
  }

  /** Writers updating their clones back to back until stopped; returns how many commands they made. */
  function backgroundLoad(ids: string[]) {
    let running = true;
    let commands = 0;
    const writers = ids.map(async (cloneId) => {
      while (running) {
        await configure(cloneId, `нагрузка ${commands}`);
        commands++;
      }
    });
    return {
      stop: async () => {
        running = false;
        await Promise.all(writers);
        return commands;
      },
    };
  }

  async function concurrentRounds() {
    const ids = await createClones(cloneCount);
    const subscriptions = await subscribe(ids);
    const toUpdate: number[] = [];
    const started = performance.now();
    for (let round = 1; round <= rounds; round++)
      await Promise.all(
        ids.map(async (cloneId, i) => {
          const sent = performance.now();
          await configure(cloneId, `раунд ${round}: пиши коротко`);
          await subscriptions[i]!.waitFor(round, 30_000);
          toUpdate.push(performance.now() - sent);
        }),
      );
    const seconds = (performance.now() - started) / 1000;
    await Promise.all(subscriptions.map((s) => s.close()));
    listeners -= ids.length;
    return { toUpdate, perSecond: toUpdate.length / seconds };
  }

  try {
    console.log(
      `command → cloneUpdated on ${brokers ? "Kafka (one local broker)" : "embedded defaults (in-process bus)"}`,
    );
    const unloaded = await singleProbe("без нагрузки");
    console.log(`  1 in flight, unloaded (${unloaded.length} commands)          ${summary(unloaded)}`);
    const load = backgroundLoad(await createClones(loadWriters));
    const started = performance.now();
    const loaded = await singleProbe("под нагрузкой");
    const loadCommands = await load.stop();
    const loadRate = loadCommands / ((performance.now() - started) / 1000);
    console.log(
      `  1 in flight, ${loadWriters} writers alongside (${loaded.length} commands, load ${loadRate.toFixed(0)} commands/s)  ${summary(loaded)}`,
    );
    const concurrent = await concurrentRounds();
    console.log(
      `  ${cloneCount} in flight, ${rounds} rounds (${concurrent.toUpdate.length} commands)  ${summary(concurrent.toUpdate)}; ${concurrent.perSecond.toFixed(0)} commands/s`,
    );
  } finally {
    await ws.dispose();
  }
}
