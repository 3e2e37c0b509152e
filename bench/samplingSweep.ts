/**
 * Chooses a clone's default sampling by measurement: for a trained adapter and its dataset, answers the
 * held-out messages through the runtime's engine and prompt path (with their preceding turns, as a person
 * meets the clone) at each sampling setting, and prints style against variety:
 *  - ending: |share of replies ending like the owner − the owner's share| (the owner's most frequent last
 *    word or "!!"/"?" run, found from the training split),
 *  - authorship: share the character n-gram classifier (trained on the training split) gives the owner,
 *  - distinct: distinct replies / replies; cut: share stopped by the token limit.
 * Prints figures; asserts nothing. docs/sampling.md holds a run and the choice made from it.
 * Usage: node dist/bench/samplingSweep.js --adapter OUT/adapter.gguf --dataset DATA [--model GGUF]
 *        [--prompts 40] [--tokens 48]
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildSystemPrompt } from "aiclone-runtime";
import { LlamaEngine, readPromptContract } from "aiclone-runtime/engine";
import { distinctReplyRatio, heldOutItems, trainAuthorship } from "aiclone-runtime/fidelity";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";

const { values } = parseArgs({
  options: {
    model: { type: "string", default: ".cache/models/SmolLM2-135M-Instruct.Q4_1.gguf" },
    adapter: { type: "string" },
    dataset: { type: "string" },
    prompts: { type: "string", default: "40" },
    tokens: { type: "string", default: "48" },
  },
});
if (!values.adapter || !values.dataset) {
  console.error("usage: samplingSweep --adapter OUT/adapter.gguf --dataset DATA [--model GGUF]");
  process.exit(2);
}

const settings = [
  { temperature: 0, topP: 1, repeatPenalty: 1 },
  { temperature: 0.3, topP: 0.9, repeatPenalty: 1 },
  { temperature: 0.5, topP: 0.9, repeatPenalty: 1 },
  { temperature: 0.7, topP: 0.9, repeatPenalty: 1 },
  { temperature: 0.9, topP: 0.9, repeatPenalty: 1 },
  { temperature: 1.1, topP: 0.9, repeatPenalty: 1 },
  { temperature: 0.7, topP: 1, repeatPenalty: 1 },
  { temperature: 0.9, topP: 1, repeatPenalty: 1 },
  { temperature: 0.5, topP: 0.9, repeatPenalty: 1.15 },
  { temperature: 0.7, topP: 0.9, repeatPenalty: 1.15 },
  { temperature: 0.9, topP: 0.9, repeatPenalty: 1.15 },
];

const lastWord = (text: string) =>
  text
    .trim()
    .toLowerCase()
    .match(/([\p{L}\p{N}]+|[!?.…]+)$/u)?.[1] ?? "";

const trainLines = (await readFile(join(values.dataset, "train.jsonl"), "utf8")).split("\n").filter(Boolean);
const owner: string[] = [];
const others: string[] = [];
for (const line of trainLines)
  for (const m of (JSON.parse(line) as { messages: { role: string; content: string }[] }).messages)
    (m.role === "assistant" ? owner : m.role === "user" ? others : []).push(m.content);
const classifier = trainAuthorship({ owner, others });
// The owner's signature endings: last words/punctuation runs that end at least 10 % of their replies.
const counts = new Map<string, number>();
for (const reply of owner) counts.set(lastWord(reply), (counts.get(lastWord(reply)) ?? 0) + 1);
const signature = new Set([...counts].filter(([, n]) => n >= 0.1 * owner.length).map(([w]) => w));
const endsLikeOwner = (text: string) => signature.has(lastWord(text));

const items = await heldOutItems(values.dataset, Number(values.prompts));
const ownerShare = items.filter((i) => endsLikeOwner(i.owner)).length / items.length;
const contract = await readPromptContract(values.adapter);
const system = buildSystemPrompt({ persona: contract?.systemPrompt ?? "", language: "en" });
const llama = await getLlama({ gpu: false, logLevel: LlamaLogLevel.error });
const engine = await LlamaEngine.load({
  modelPath: values.model,
  adapterPath: values.adapter,
  promptContract: contract,
  llama,
  gpu: false,
  sequences: 1,
  contextSize: 2048,
  defaults: { temperature: 0.7, topP: 0.9, maxTokens: Number(values.tokens) },
});

console.log(
  `owner: ${items.length} held-out replies, signature endings {${[...signature].join(", ")}}, ` +
    `share ${ownerShare.toFixed(2)}, authorship ${classifier.shareAttributedToOwner(items.map((i) => i.owner)).toFixed(2)}, ` +
    `distinct ${distinctReplyRatio(items.map((i) => i.owner)).toFixed(2)}`,
);
// Both ways a person meets the clone: the contact's message alone (a new chat) and with the preceding turns.
const modes = [
  {
    name: "single",
    messages: (item: (typeof items)[number]) => [{ role: "user" as const, content: item.prompt }],
  },
  { name: "context", messages: (item: (typeof items)[number]) => item.before },
];
for (const mode of modes) {
  console.log(
    `\n${mode.name}: temperature  top_p  repeat  | ending share  |Δ owner|  authorship  distinct  cut`,
  );
  for (const s of settings) {
    const replies: string[] = [];
    let cut = 0;
    for (const [index, item] of items.entries()) {
      const result = await engine.generate({ system, messages: mode.messages(item), seed: 1 + index, ...s });
      replies.push(result.text.trim());
      if (result.finishReason === "length") cut++;
    }
    const endingShare = replies.filter(endsLikeOwner).length / replies.length;
    console.log(
      `${" ".repeat(mode.name.length + 1)}${s.temperature.toFixed(1).padStart(12)}  ${s.topP.toFixed(2).padStart(5)}  ` +
        `${s.repeatPenalty.toFixed(2).padStart(6)}  | ${endingShare.toFixed(2).padStart(12)}  ` +
        `${Math.abs(endingShare - ownerShare)
          .toFixed(2)
          .padStart(8)}  ${classifier.shareAttributedToOwner(replies).toFixed(2).padStart(10)}  ` +
        `${distinctReplyRatio(replies).toFixed(2).padStart(8)}  ${(cut / replies.length).toFixed(2).padStart(4)}`,
    );
  }
}
await engine.close();
await llama.dispose();
