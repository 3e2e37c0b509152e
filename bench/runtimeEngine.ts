import { parseArgs } from "node:util";
import { tinyModelPath } from "@aiclone/testing/sharedData";
import { LlamaEngine } from "aiclone-runtime/engine";
import { getLlama, LlamaChat, LlamaLogLevel, resolveChatWrapper } from "node-llama-cpp";
import { percentile } from "./percentile.js";

const { values } = parseArgs({
  options: {
    model: { type: "string" },
    concurrency: { type: "string", default: "8" },
    sequences: { type: "string", default: "4" },
    tokens: { type: "string", default: "64" },
    rounds: { type: "string", default: "3" },
    threads: { type: "string" },
    gpu: { type: "boolean", default: false },
  },
});
const modelPath = values.model ?? tinyModelPath();
const concurrency = Number(values.concurrency);
const maxTokens = Number(values.tokens);
const rounds = Number(values.rounds);
const threads = values.threads ? Number(values.threads) : undefined;
const question = [{ role: "user" as const, content: "Привет! Расскажи, как прошёл твой день?" }];

const llama = await getLlama({ gpu: values.gpu ? "auto" : false, logLevel: LlamaLogLevel.error });
console.log(`model ${modelPath}, gpu ${llama.gpu}, threads ${threads ?? "auto"}`);

// Baseline: one bare LlamaChat stream, no pool, no trimming, no memory.
{
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({
    sequences: 1,
    contextSize: 2048,
    ...(threads ? { threads } : {}),
  });
  const chat = new LlamaChat({
    contextSequence: context.getSequence(),
    chatWrapper: resolveChatWrapper(model),
  });
  const started = performance.now();
  let first = 0;
  let tokens = 0;
  await chat.generateResponse(
    [
      { type: "user", text: question[0]?.content ?? "" },
      { type: "model", response: [] },
    ],
    {
      maxTokens,
      onToken: (t) => {
        if (tokens === 0) first = performance.now() - started;
        tokens += t.length;
      },
    },
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `bare node-llama-cpp, 1 stream: ${(tokens / seconds).toFixed(1)} tokens/s, first token ${first.toFixed(1)} ms`,
  );
  await context.dispose();
  await model.dispose();
}

const engine = await LlamaEngine.load({
  modelPath,
  llama,
  sequences: Number(values.sequences),
  contextSize: 2048,
  threads,
  maxQueue: concurrency * 2,
  defaults: { temperature: 0.7, topP: 0.9, maxTokens },
});
const ttft: number[] = [];
let tokens = 0;
const started = performance.now();
for (let round = 0; round < rounds; round++) {
  await Promise.all(
    Array.from({ length: concurrency }, async (_, i) => {
      const begin = performance.now();
      let seen = false;
      const result = await engine.generate(
        { system: `Ты говоришь с собеседником ${i}.`, messages: question, maxTokens, affinityKey: String(i) },
        {
          onText: () => {
            if (!seen) ttft.push(performance.now() - begin);
            seen = true;
          },
        },
      );
      tokens += result.completionTokens;
    }),
  );
}
const seconds = (performance.now() - started) / 1000;
console.log(
  `LlamaEngine, ${concurrency} concurrent conversations on ${engine.sequences} sequences, ${rounds} rounds: ` +
    `${(tokens / seconds).toFixed(1)} tokens/s overall, time to first token p50 ${percentile(ttft, 50).toFixed(1)} ms, ` +
    `p95 ${percentile(ttft, 95).toFixed(1)} ms`,
);
await engine.close();
await llama.dispose();
