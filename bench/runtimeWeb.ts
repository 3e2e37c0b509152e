/**
 * The runtime through its web channel against bare node-llama-cpp, in one run on one model, alternating:
 *  1. one stream, round after round, in a rotating order: bare `LlamaChat` on its own context, the runtime's
 *     engine called directly (`LlamaEngine.generate`: pool, trimming, chat wrapper), and the web plugin's
 *     streaming OpenAI API (`/v1/chat/completions` through the official `openai` client over SSE, which adds
 *     the chat service, HTTP and SSE) from a worker thread (`web`), the same API through plain `fetch` with
 *     the SSE read by hand from that thread (`fetch`: the runtime without the SDK's client-side work), and
 *     the `openai` client on the runtime's own thread (`inproc`). Per round: tokens/s (reply tokens over the whole request, prompt
 *     included), decode tokens/s (tokens after the first over the time after it) and time to first token;
 *     printed as min / median / max of the per-round ratios to bare, so load swings on a shared machine
 *     cancel out;
 *  2. N concurrent streams (default 8, each with its own system prompt) against one stream, alternating per
 *     round: the aggregate tokens/s of N over one's;
 *     with bare LlamaChat's own gain from batching N sequences beside it (skip with --no-anchor);
 *  3. the process's peak RSS while the N streams run (the bare model is disposed before): the bench exits
 *     with status 1 above `--max-rss-mb`, and when a reply has no tokens.
 * Usage: node dist/bench/runtimeWeb.js [--model PATH] [--threads N] [--sequences N] [--concurrency 8]
 *        [--rounds 5] [--chat-rounds 3] [--tokens 64] [--repeat-penalty 1.15] [--max-rss-mb 750]
 *        [--stream-interval-ms N (the web plugin's streamIntervalMs; 0: a frame per token)] [--page] [--gpu]
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { freePort } from "@aiclone/testing/freePort";
import { tinyModelPath } from "@aiclone/testing/sharedData";
import { startRuntime } from "aiclone-runtime";
import { DEFAULT_GENERATION, initBundle } from "aiclone-runtime/bundle";
import { getLlama, LlamaChat, LlamaLogLevel, resolveChatWrapper } from "node-llama-cpp";
import OpenAI from "openai";
import { pino } from "pino";
import { openAiStream } from "./openAiStream.js";
import { percentile } from "./percentile.js";
import type { ClientAnswer, ClientRequest } from "./runtimeWebClient.js";

const { values } = parseArgs({
  options: {
    model: { type: "string" },
    concurrency: { type: "string", default: "8" },
    rounds: { type: "string", default: "5" },
    "chat-rounds": { type: "string", default: "3" },
    tokens: { type: "string", default: "64" },
    sequences: { type: "string" },
    threads: { type: "string" },
    "max-rss-mb": { type: "string", default: "750" },
    "stream-interval-ms": { type: "string" },
    page: { type: "boolean", default: false },
    "no-anchor": { type: "boolean", default: false },
    gpu: { type: "boolean", default: false },
    "repeat-penalty": { type: "string", default: String(DEFAULT_GENERATION.repeatPenalty) },
  },
});
const modelPath = values.model ?? tinyModelPath();
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);
const chatRounds = Number(values["chat-rounds"]);
const maxTokens = Number(values.tokens);
const threads = values.threads ? Number(values.threads) : undefined;
const sequences = values.sequences ? Number(values.sequences) : undefined;
const maxRssMb = Number(values["max-rss-mb"]);
/** The same sampling on both sides: greedy, with the bundle's repeat penalty unless told otherwise. */
const repeatPenalty = Number(values["repeat-penalty"]);
const contextSize = DEFAULT_GENERATION.contextSize;
const question = "Привет! Расскажи, как прошёл твой день?";
const persona = "Ты — Пётр. Отвечай коротко, как в мессенджере.";

const fmt = (x: number, digits = 1) => x.toFixed(digits);
const spread = (xs: number[], digits = 2) =>
  `min ${fmt(Math.min(...xs), digits)} / median ${fmt(percentile(xs, 50), digits)} / max ${fmt(Math.max(...xs), digits)}`;
const mb = (bytes: number) => bytes / 1024 / 1024;
let failed = false;

/** One reply, however it was produced: its tokens, the time to its first text and the whole time. */
interface Sample {
  tokens: number;
  ttft: number;
  ms: number;
}
const tokensPerSecond = (s: Sample) => s.tokens / (s.ms / 1000);
const decodePerSecond = (s: Sample) => (s.tokens - 1) / ((s.ms - s.ttft) / 1000);

/** The peak of the process's RSS, sampled every 20 ms, since the last reset. */
const rss = { peak: 0 };
const sampler = setInterval(() => {
  rss.peak = Math.max(rss.peak, process.memoryUsage.rss());
}, 20);

const llama = await getLlama({ gpu: values.gpu ? "auto" : false, logLevel: LlamaLogLevel.error });
console.log(
  `model ${modelPath}, gpu ${llama.gpu}, threads ${threads ?? `auto (${llama.cpuMathCores})`}, ` +
    `${maxTokens} tokens per reply, greedy, repeat penalty ${repeatPenalty}, context ${contextSize} per sequence`,
);

// The runtime: a bundle with the web plugin on a free port, started in this process.
const dir = await mkdtemp(join(tmpdir(), "aiclone-bench-web-"));
const port = await freePort();
const bundleDir = await initBundle({
  model: modelPath,
  name: "Пётр",
  persona,
  language: "ru",
  out: join(dir, "bundle"),
  plugins: [
    {
      name: "web",
      config: {
        port,
        ...(values["stream-interval-ms"] ? { streamIntervalMs: Number(values["stream-interval-ms"]) } : {}),
      },
    },
  ],
});
const manifestPath = join(bundleDir, "clone.json");
const manifest = JSON.parse(await readFile(manifestPath, "utf8"));
manifest.generation = { ...manifest.generation, maxTokens, temperature: 0, repeatPenalty, contextSize };
await writeFile(manifestPath, JSON.stringify(manifest));
const runtime = await startRuntime({
  bundleDir,
  llama,
  threads,
  sequences,
  maxQueue: concurrency * 4,
  registry: { web: () => import("@aiclone/plugin-web") },
  modelCacheDir: join(dir, "cache"),
  logger: pino({ level: "warn" }),
});
const baseUrl = `http://127.0.0.1:${port}`;
const client = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: "loopback", maxRetries: 0 });
const cloneId = manifest.clone.id as string;

/** The OpenAI client on its own thread (runtimeWebClient.ts), as a client in another process would be. */
const clientThread = new Worker(new URL("./runtimeWebClient.js", import.meta.url), {
  workerData: { baseUrl, cloneId, question, maxTokens },
});
const pending = new Map<number, (answer: ClientAnswer) => void>();
let nextRequest = 0;
clientThread.on("message", (answer: ClientAnswer) => {
  pending.get(answer.id)?.(answer);
  pending.delete(answer.id);
});
function openAiStreamElsewhere(system: string, via: ClientRequest["via"] = "openai"): Promise<Sample> {
  const id = nextRequest++;
  return new Promise((resolve, reject) => {
    pending.set(id, (answer) => (answer.error ? reject(new Error(answer.error)) : resolve(answer)));
    clientThread.postMessage({ id, system, via } satisfies ClientRequest);
  });
}

// Bare node-llama-cpp: one sequence of the same size, the same threads, prompt and sampling.
const bareModel = await llama.loadModel({ modelPath });
const bareContext = await bareModel.createContext({
  sequences: 1,
  contextSize,
  threads: threads ?? llama.cpuMathCores,
});
const bareSequence = bareContext.getSequence();
const bareWrapper = resolveChatWrapper(bareModel);

/** Bare LlamaChat; like the runtime's engine it reuses the sequence's tokens of the last identical prompt. */
async function bareStream(): Promise<Sample> {
  const chat = new LlamaChat({ contextSequence: bareSequence, chatWrapper: bareWrapper });
  const started = performance.now();
  let ttft = Number.NaN;
  let tokens = 0;
  await chat.generateResponse(
    [
      { type: "system", text: persona },
      { type: "user", text: question },
      { type: "model", response: [] },
    ],
    {
      maxTokens,
      temperature: 0,
      ...(repeatPenalty !== 1 ? { repeatPenalty: { penalty: repeatPenalty } } : {}),
      onTextChunk: (chunk) => {
        if (Number.isNaN(ttft) && chunk !== "") ttft = performance.now() - started;
      },
      onToken: (t) => {
        tokens += t.length;
      },
    },
  );
  chat.dispose({ disposeSequence: false });
  return { tokens, ttft, ms: performance.now() - started };
}

/** The runtime's engine, called directly: no chat service, HTTP or SSE. */
async function engineStream(): Promise<Sample> {
  const started = performance.now();
  let ttft = Number.NaN;
  const result = await runtime.engine.generate(
    { system: persona, messages: [{ role: "user", content: question }] },
    {
      onText: (chunk) => {
        if (Number.isNaN(ttft) && chunk !== "") ttft = performance.now() - started;
      },
    },
  );
  return { tokens: result.completionTokens, ttft, ms: performance.now() - started };
}

/** One streamed completion through the OpenAI API on the runtime's own thread. */
const openAiStreamHere = (system: string): Promise<Sample> =>
  openAiStream(client, { cloneId, system, question, maxTokens });

/** One turn through the chat page's API; tokens counted by tokenizing the reply (≈ the generated count). */
async function pageTurn(conversationId: string, text: string): Promise<Sample> {
  const started = performance.now();
  let ttft = Number.NaN;
  const response = await fetch(`${baseUrl}/api/conversations/${conversationId}/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text }),
  });
  if (!response.ok || !response.body)
    throw new Error(`page API: ${response.status} ${await response.text()}`);
  const decoder = new TextDecoder();
  let body = "";
  for await (const piece of response.body) {
    if (Number.isNaN(ttft) && body.length === 0) ttft = performance.now() - started;
    body += decoder.decode(piece as Uint8Array, { stream: true });
  }
  const done = body
    .split("\n\n")
    .filter((frame) => frame.startsWith("data: "))
    .map((frame) => JSON.parse(frame.slice(6)) as { type: string; text?: string })
    .find((event) => event.type === "done");
  if (!done) throw new Error(`page API: no done event in ${body.slice(0, 200)}`);
  return {
    tokens: runtime.engine.model.tokenize(done.text ?? "").length,
    ttft,
    ms: performance.now() - started,
  };
}

const contenders = {
  bare: bareStream,
  engine: engineStream,
  web: () => openAiStreamElsewhere(persona),
  fetch: () => openAiStreamElsewhere(persona, "fetch"),
  inproc: () => openAiStreamHere(persona),
};
type Contender = keyof typeof contenders;

/** Phase 1: the three contenders, one stream each per round, the order rotating from round to round. */
async function singleStreams(): Promise<Record<Contender, Sample[]>> {
  const names = Object.keys(contenders) as Contender[];
  for (const name of names) await contenders[name](); // warm-up: load, first prompt, caches
  const samples: Record<Contender, Sample[]> = { bare: [], engine: [], web: [], fetch: [], inproc: [] };
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length] as Contender;
      const sample = await contenders[name]();
      if (sample.tokens === 0) failed = true;
      samples[name].push(sample);
    }
  }
  return samples;
}

function reportSingle(samples: Record<Contender, Sample[]>): void {
  const bare = samples.bare;
  for (const name of Object.keys(samples) as Contender[]) {
    const xs = samples[name];
    const line = [
      `${name.padEnd(6)} tokens/s ${spread(xs.map(tokensPerSecond), 1)}`,
      `decode tokens/s ${spread(xs.map(decodePerSecond), 1)}`,
      `first token ms ${spread(
        xs.map((s) => s.ttft),
        1,
      )}`,
      `tokens ${spread(
        xs.map((s) => s.tokens),
        0,
      )}`,
    ];
    console.log(line.join("; "));
    if (name === "bare") continue;
    const ratio = xs.map((s, i) => tokensPerSecond(s) / tokensPerSecond(bare[i] as Sample));
    const decode = xs.map((s, i) => decodePerSecond(s) / decodePerSecond(bare[i] as Sample));
    const ttft = xs.map((s, i) => s.ttft - (bare[i] as Sample).ttft);
    console.log(
      `  ${name} / bare, per round: tokens/s ${spread(ratio)}; decode ${spread(decode)}; ` +
        `first token +ms ${spread(ttft, 1)}   (goals: ≥ 0.97, < 10 ms)`,
    );
  }
}

/**
 * The anchor for phase 2: bare LlamaChat, one stream then N at once on a context of N sequences (1,024
 * tokens each: the same batching, less memory), per round: what node-llama-cpp itself gains from batching.
 */
async function bareConcurrent(): Promise<void> {
  const context = await bareModel.createContext({
    sequences: concurrency,
    contextSize: 1024,
    threads: threads ?? llama.cpuMathCores,
  });
  const sequences = Array.from({ length: concurrency }, () => context.getSequence());
  const run = async (index: number): Promise<number> => {
    const chat = new LlamaChat({ contextSequence: sequences[index]!, chatWrapper: bareWrapper });
    let tokens = 0;
    await chat.generateResponse(
      [
        { type: "system", text: `${persona} Собеседник номер ${index}.` },
        { type: "user", text: question },
        { type: "model", response: [] },
      ],
      {
        maxTokens,
        temperature: 0,
        ...(repeatPenalty !== 1 ? { repeatPenalty: { penalty: repeatPenalty } } : {}),
        onToken: (t) => {
          tokens += t.length;
        },
      },
    );
    chat.dispose({ disposeSequence: false });
    await sequences[index]!.clearHistory();
    return tokens;
  };
  await run(0);
  const ratios: number[] = [];
  for (let round = 0; round < chatRounds; round++) {
    let started = performance.now();
    const one = (await run(0)) / ((performance.now() - started) / 1000);
    started = performance.now();
    const all = (await Promise.all(sequences.map((_, i) => run(i)))).reduce((sum, t) => sum + t, 0);
    ratios.push(all / ((performance.now() - started) / 1000) / one);
  }
  console.log(
    `anchor: bare LlamaChat, ${concurrency} at once on ${concurrency} sequences: aggregate / one stream ${spread(ratios)}`,
  );
  await context.dispose();
}

/** Phase 2: one stream, then N at once, per round; the aggregate tokens/s and the process's peak RSS. */
async function concurrentStreams(): Promise<void> {
  const ratios: number[] = [];
  const ttft: number[] = [];
  rss.peak = process.memoryUsage.rss();
  for (let round = 0; round < chatRounds; round++) {
    const one = await openAiStreamElsewhere(`${persona} Собеседник номер 0.`);
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: concurrency }, (_, i) =>
        values.page
          ? pageTurn(`bench-${i}`, `${question} (${round + 1})`)
          : openAiStreamElsewhere(`${persona} Собеседник номер ${i}.`),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const tokens = results.reduce((sum, r) => sum + r.tokens, 0);
    if (results.some((r) => r.tokens === 0)) failed = true;
    ttft.push(...results.map((r) => r.ttft));
    ratios.push(tokens / seconds / tokensPerSecond(one));
    console.log(
      `  round ${round + 1}: 1 stream ${fmt(tokensPerSecond(one))} tokens/s, ${concurrency} at once ${fmt(tokens / seconds)} tokens/s overall`,
    );
  }
  const peak = mb(rss.peak);
  console.log(
    `${concurrency} concurrent ${values.page ? "conversations (chat page API)" : "streams (OpenAI API)"} on ` +
      `${runtime.engine.sequences} sequences: aggregate / one stream ${spread(ratios)} (goal ≥ 2); ` +
      `first token p50 ${fmt(percentile(ttft, 50))} ms, p95 ${fmt(percentile(ttft, 95))} ms`,
  );
  console.log(
    `peak RSS while they ran: ${fmt(peak, 0)} MB (the runtime and this bench's HTTP clients; bound ${maxRssMb} MB)`,
  );
  if (peak > maxRssMb) {
    console.error(`FAIL: peak RSS ${fmt(peak, 0)} MB is above --max-rss-mb ${maxRssMb}`);
    failed = true;
  }
}

try {
  reportSingle(await singleStreams());
  await bareContext.dispose();
  if (!values["no-anchor"]) await bareConcurrent();
  await bareModel.dispose();
  await concurrentStreams();
} finally {
  clearInterval(sampler);
  await clientThread.terminate();
  await runtime.stop();
  await llama.dispose();
  await rm(dir, { recursive: true, force: true });
}
if (failed) {
  console.error("FAIL: see above");
  process.exitCode = 1;
}
