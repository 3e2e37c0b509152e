/**
 * The runtime through its web channel, in one run on one model:
 *  1. one stream, bare node-llama-cpp (LlamaChat) vs the same prompt through the web plugin's streaming
 *     OpenAI API (`/v1/chat/completions`, the official `openai` client): tokens/s and time to first token,
 *     so the difference is the runtime's overhead (HTTP, SSE, pool, chat service, persona prompt);
 *  2. N concurrent conversations (default 8) through the OpenAI API and through the chat page's API
 *     (`/api/conversations/:id/messages`, remembered conversations whose history grows each round):
 *     overall tokens/s and time-to-first-token p50/p95.
 * Prints figures; asserts nothing.
 * Usage: node dist/bench/runtimeWeb.js [--model PATH] [--concurrency 8] [--rounds 3] [--tokens 64]
 *        [--sequences N] [--threads N] [--repeat 5] [--gpu]
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { freePort } from "@aiclone/testing/freePort";
import { tinyModelPath } from "@aiclone/testing/sharedData";
import { startRuntime } from "aiclone-runtime";
import { DEFAULT_GENERATION, initBundle } from "aiclone-runtime/bundle";
import { getLlama, LlamaChat, LlamaLogLevel, resolveChatWrapper } from "node-llama-cpp";
import OpenAI from "openai";
import { pino } from "pino";
import { percentile } from "./percentile.js";

const { values } = parseArgs({
  options: {
    model: { type: "string" },
    concurrency: { type: "string", default: "8" },
    rounds: { type: "string", default: "3" },
    tokens: { type: "string", default: "64" },
    sequences: { type: "string" },
    threads: { type: "string" },
    repeat: { type: "string", default: "5" },
    gpu: { type: "boolean", default: false },
    "repeat-penalty": { type: "string", default: String(DEFAULT_GENERATION.repeatPenalty) },
  },
});
const modelPath = values.model ?? tinyModelPath();
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);
const maxTokens = Number(values.tokens);
const repeat = Number(values.repeat);
const threads = values.threads ? Number(values.threads) : undefined;
const sequences = values.sequences ? Number(values.sequences) : undefined;
/** The same sampling on both sides: greedy, with the bundle's repeat penalty unless told otherwise. */
const repeatPenalty = Number(values["repeat-penalty"]);
const question = "Привет! Расскажи, как прошёл твой день?";
const persona = "Ты — Пётр. Отвечай коротко, как в мессенджере.";

const median = (xs: number[]) => percentile(xs, 50);
const fmt = (x: number, digits = 1) => x.toFixed(digits);

const llama = await getLlama({ gpu: values.gpu ? "auto" : false, logLevel: LlamaLogLevel.error });
console.log(
  `model ${modelPath}, gpu ${llama.gpu}, threads ${threads ?? "auto"}, ${maxTokens} tokens per reply, greedy, repeat penalty ${repeatPenalty}`,
);

// 1a. Baseline: bare LlamaChat, one sequence, the same system + user prompt, greedy.
const bare = { tokensPerSecond: [] as number[], ttft: [] as number[], tokens: [] as number[] };
{
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({
    sequences: 1,
    contextSize: 4096,
    ...(threads ? { threads } : {}),
  });
  const sequence = context.getSequence();
  const chatWrapper = resolveChatWrapper(model);
  for (let i = 0; i <= repeat; i++) {
    // A fresh chat each time: the prompt is evaluated every time, as the runtime's first turn does.
    sequence.clearHistory();
    const chat = new LlamaChat({ contextSequence: sequence, chatWrapper });
    const started = performance.now();
    let first = 0;
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
        onToken: (t) => {
          if (tokens === 0) first = performance.now() - started;
          tokens += t.length;
        },
      },
    );
    const seconds = (performance.now() - started) / 1000;
    if (i === 0) continue; // warm-up
    bare.tokensPerSecond.push(tokens / seconds);
    bare.ttft.push(first);
    bare.tokens.push(tokens);
  }
  await context.dispose();
  await model.dispose();
}

// The runtime: a bundle with the web plugin on a free port, started in this process.
const dir = await mkdtemp(join(tmpdir(), "aiclone-bench-web-"));
const port = await freePort();
const bundleDir = await initBundle({
  model: modelPath,
  name: "Пётр",
  persona,
  language: "ru",
  out: join(dir, "bundle"),
  plugins: [{ name: "web", config: { port } }],
});
const manifestPath = join(bundleDir, "clone.json");
const manifest = JSON.parse(await readFile(manifestPath, "utf8"));
manifest.generation = { ...manifest.generation, maxTokens, temperature: 0, repeatPenalty };
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

/** One streamed completion through the OpenAI API: tokens (from the usage chunk) and time to first text. */
async function openAiStream(system: string): Promise<{ tokens: number; ttft: number; ms: number }> {
  const started = performance.now();
  let ttft = Number.NaN;
  let tokens = 0;
  const stream = await client.chat.completions.create({
    model: cloneId,
    messages: [
      { role: "system", content: system },
      { role: "user", content: question },
    ],
    max_tokens: maxTokens,
    temperature: 0,
    stream: true,
    stream_options: { include_usage: true },
  });
  for await (const chunk of stream) {
    if (Number.isNaN(ttft) && (chunk.choices[0]?.delta.content ?? "") !== "")
      ttft = performance.now() - started;
    if (chunk.usage) tokens = chunk.usage.completion_tokens;
  }
  return { tokens, ttft, ms: performance.now() - started };
}

/** One turn through the chat page's API; tokens counted by tokenizing the reply (≈ the generated count). */
async function pageTurn(conversationId: string, text: string): Promise<{ tokens: number; ttft: number }> {
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
  return { tokens: runtime.engine.model.tokenize(done.text ?? "").length, ttft };
}

try {
  // 1b. One stream through the web channel's OpenAI API.
  const web = { tokensPerSecond: [] as number[], ttft: [] as number[], tokens: [] as number[] };
  for (let i = 0; i <= repeat; i++) {
    const result = await openAiStream(persona);
    if (i === 0) continue;
    web.tokensPerSecond.push(result.tokens / (result.ms / 1000));
    web.ttft.push(result.ttft);
    web.tokens.push(result.tokens);
  }
  const bareTps = median(bare.tokensPerSecond);
  const webTps = median(web.tokensPerSecond);
  console.log(
    `1 stream, bare node-llama-cpp (LlamaChat): ${fmt(bareTps)} tokens/s, first token ${fmt(median(bare.ttft))} ms (median of ${repeat}, ${median(bare.tokens)} tokens each)`,
  );
  console.log(
    `1 stream, web channel OpenAI API (openai client, SSE): ${fmt(webTps)} tokens/s, first token ${fmt(median(web.ttft))} ms (median of ${repeat}, ${median(web.tokens)} tokens each); overhead ${fmt((1 - webTps / bareTps) * 100)} % tokens/s, +${fmt(median(web.ttft) - median(bare.ttft))} ms first token`,
  );

  // 2a. N concurrent streams through the OpenAI API (each a different system prompt: no shared prefix).
  {
    const ttft: number[] = [];
    let tokens = 0;
    const started = performance.now();
    for (let round = 0; round < rounds; round++) {
      const results = await Promise.all(
        Array.from({ length: concurrency }, (_, i) => openAiStream(`${persona} Собеседник номер ${i}.`)),
      );
      for (const result of results) {
        tokens += result.tokens;
        ttft.push(result.ttft);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${concurrency} concurrent streams, OpenAI API, ${runtime.engine.sequences} sequences, ${rounds} rounds: ` +
        `${fmt(tokens / seconds)} tokens/s overall, first token p50 ${fmt(percentile(ttft, 50))} ms, p95 ${fmt(percentile(ttft, 95))} ms`,
    );
  }

  // 2b. N concurrent remembered conversations through the chat page's API (history grows each round).
  {
    const ttft: number[] = [];
    let tokens = 0;
    const started = performance.now();
    for (let round = 0; round < rounds; round++) {
      const results = await Promise.all(
        Array.from({ length: concurrency }, (_, i) => pageTurn(`bench-${i}`, `${question} (${round + 1})`)),
      );
      for (const result of results) {
        tokens += result.tokens;
        ttft.push(result.ttft);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${concurrency} concurrent conversations, chat page API, ${runtime.engine.sequences} sequences, ${rounds} rounds: ` +
        `≈${fmt(tokens / seconds)} tokens/s overall, first event p50 ${fmt(percentile(ttft, 50))} ms, p95 ${fmt(percentile(ttft, 95))} ms`,
    );
  }
} finally {
  await runtime.stop();
  await llama.dispose();
  await rm(dir, { recursive: true, force: true });
}
