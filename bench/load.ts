/**
 * Load on one machine: 200 concurrent GraphQL clients and 50 open subscriptions against the platform on
 * embedded defaults, writers making events, and 8 concurrent chats on a runtime. Prints throughput,
 * latency percentiles, errors and lost events.
 * Usage: node dist/bench/load.js [--seconds 20] [--clients 200] [--subscriptions 50] [--writers 8] [--chats 8] [--model PATH]
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { runLoad } from "./loadProfile.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "20" },
    clients: { type: "string", default: "200" },
    subscriptions: { type: "string", default: "50" },
    writers: { type: "string", default: "8" },
    chats: { type: "string", default: "8" },
    model: { type: "string" },
  },
});
const shared = process.env.SHARED_DATA_DIR ?? fileURLToPath(new URL("../../../shared/", import.meta.url));
const report = await runLoad({
  seconds: Number(values.seconds),
  clients: Number(values.clients),
  subscriptions: Number(values.subscriptions),
  writers: Number(values.writers),
  chats: Number(values.chats),
  modelPath: values.model ?? join(shared, "models", "llama-2-tiny-random.gguf"),
});
const ms = (x: number) => `${x.toFixed(1)} ms`;
const { graphql: g, mutations: m, subscriptions: s, chats: c } = report;
console.log(`load for ${values.seconds} s on this machine (${values.clients} GraphQL clients)`);
console.log(
  `GraphQL queries   ${g.requests} (${g.perSecond.toFixed(0)}/s)  p50 ${ms(g.p50Ms)}  p99 ${ms(g.p99Ms)}  errors ${g.errors} (${g.timeouts} timeouts)`,
);
console.log(
  `mutations         ${m.done} by ${values.writers} writers  p50 ${ms(m.p50Ms)}  p99 ${ms(m.p99Ms)}  failed ${m.failed}`,
);
console.log(
  `subscriptions     ${s.open} open  events expected ${s.expectedEvents}  received ${s.receivedEvents}  lost ${s.lost}`,
);
if (c)
  console.log(
    `runtime chats     ${c.done} replies by ${values.chats} chats (${c.perSecond.toFixed(1)}/s)  p50 ${ms(c.p50Ms)}  p99 ${ms(c.p99Ms)}  failed ${c.failed}`,
  );
