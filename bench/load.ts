import { parseArgs } from "node:util";
import { tinyModelPath } from "@aiclone/testing/sharedData";
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
const report = await runLoad({
  seconds: Number(values.seconds),
  clients: Number(values.clients),
  subscriptions: Number(values.subscriptions),
  writers: Number(values.writers),
  chats: Number(values.chats),
  modelPath: values.model ?? tinyModelPath(),
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
console.log(`new connection    one query on a connection opened mid-run: ${ms(report.freshConnectionMs)}`);
console.log(
  `subscriptions     ${s.open} open  events expected ${s.expectedEvents}  received ${s.receivedEvents}  lost ${s.lost}`,
);
if (c)
  console.log(
    `runtime chats     ${c.done} replies by ${values.chats} chats (${c.perSecond.toFixed(1)}/s)  p50 ${ms(c.p50Ms)}  p99 ${ms(c.p99Ms)}  failed ${c.failed}`,
  );
