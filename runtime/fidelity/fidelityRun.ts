/**
 * Measures a trained clone where the person meets it: held-out messages answered through the runtime's own
 * engine (node-llama-cpp with the exported adapter.gguf), prompt path (the adapter's prompt contract and the
 * bundle's default persona) and default sampling, by the base model and by the clone, in two modes (the
 * contact's message alone; with the turns before it). The numbers come from fidelityReport.ts.
 */
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { getLlama, type Llama, LlamaLogLevel } from "node-llama-cpp";
import { DEFAULT_GENERATION } from "../bundle/cloneBundleSchema.js";
import { buildSystemPrompt } from "../chat/systemPrompt.js";
import { type GenerateResult, LlamaEngine } from "../engine/llamaEngine.js";
import { readPromptContract } from "../engine/promptContract.js";
import {
  buildFidelityReport,
  type FidelityInput,
  type FidelityItem,
  type FidelityReport,
  type FidelitySkipped,
  fidelitySkipped,
  type GeneratedReply,
} from "./fidelityReport.js";

interface Message {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface FidelitySampling {
  temperature: number;
  topP: number;
  repeatPenalty: number;
}

export interface MeasureFidelityOptions {
  modelPath: string;
  adapterPath: string;
  /** The dataset folder the adapter was trained on: train.jsonl, val.jsonl, stats.json. */
  datasetDir: string;
  /** Default: the bundle's default sampling, what an installed clone starts with. */
  sampling?: FidelitySampling;
  /** Held-out messages answered (each in both modes). Default 40. */
  prompts?: number;
  maxTokens?: number;
  seed?: number;
  perplexity?: { base: number; adapted: number } | null;
  llama?: Llama;
  threads?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** Contacts' messages and the owner's replies kept for the classifier: enough to learn a style, bounded. */
const MAX_TRAIN_TEXTS = 20_000;

async function readSamples(path: string, limit = Number.POSITIVE_INFINITY): Promise<Message[][]> {
  const samples: Message[][] = [];
  try {
    for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
      if (!line.trim()) continue;
      samples.push((JSON.parse(line) as { messages: Message[] }).messages);
      if (samples.length >= limit) break;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return samples;
}

/** `count` items spread evenly over `items`, in order: the same picks on every run. */
function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)] as T);
}

function trainSplit(samples: Message[][]): FidelityInput["trainSplit"] {
  const owner: string[] = [];
  const others: string[] = [];
  for (const sample of samples)
    for (const m of sample) {
      if (m.role === "assistant") owner.push(m.content);
      else if (m.role === "user") others.push(m.content);
    }
  return { owner: spread(owner, MAX_TRAIN_TEXTS), others: spread(others, MAX_TRAIN_TEXTS) };
}

interface HeldOutStats {
  heldOut?: { source: "sessions" | "turns" | null; reason: string | null };
  valSamples?: number;
}

const HELD_OUT_REASONS: Record<string, string> = {
  tooFewSamples: "the dataset has fewer than 10 samples, too few to hold some out for testing",
  tooFewReplies: "no conversation in the dataset has two replies of the owner's, so none could be held out",
  valFractionZero: "the dataset was built with no validation share (valFraction 0)",
};

function toReply(result: GenerateResult): GeneratedReply {
  return { text: result.text.trim(), finishReason: result.finishReason, tokens: result.completionTokens };
}

export interface HeldOutItem {
  /** The contact's last message before the owner's reply. */
  prompt: string;
  /** Every turn before the reply (system prompt left out: the runtime supplies its own). */
  before: { role: "user" | "assistant"; content: string }[];
  /** What the owner really answered. */
  owner: string;
}

/** The held-out replies a report answers: `count` of val.jsonl's samples, spread evenly, in file order. */
export async function heldOutItems(datasetDir: string, count: number): Promise<HeldOutItem[]> {
  const val = (await readSamples(join(datasetDir, "val.jsonl"))).filter(
    (s) => s.at(-1)?.role === "assistant" && s.some((m) => m.role === "user"),
  );
  return spread(val, count).map((sample) => {
    const turns = sample.filter((m) => m.role !== "system") as HeldOutItem["before"];
    const before = turns.slice(0, -1);
    return {
      prompt: before[before.map((m) => m.role).lastIndexOf("user")]?.content ?? "",
      before,
      owner: turns.at(-1)?.content ?? "",
    };
  });
}

export async function measureFidelity(
  options: MeasureFidelityOptions,
): Promise<FidelityReport | FidelitySkipped> {
  const stats = JSON.parse(
    await readFile(join(options.datasetDir, "stats.json"), "utf8").catch(() => "{}"),
  ) as HeldOutStats;
  const picked = await heldOutItems(options.datasetDir, options.prompts ?? 40);
  if (picked.length === 0) {
    const reason = stats.heldOut?.reason;
    return fidelitySkipped("no-held-out", reason ? `${HELD_OUT_REASONS[reason] ?? reason}.` : undefined);
  }
  const split = trainSplit(await readSamples(join(options.datasetDir, "train.jsonl")));

  const contract = await readPromptContract(options.adapterPath);
  // The bundle's default persona is the trained system prompt; with no contact name or passages the
  // runtime's system prompt is the persona alone.
  const system = buildSystemPrompt({ persona: contract?.systemPrompt ?? "", language: "en" });
  const sampling = options.sampling ?? DEFAULT_GENERATION;
  const maxTokens = options.maxTokens ?? 48;
  const seed = options.seed ?? 1;
  const llama = options.llama ?? (await getLlama({ gpu: false, logLevel: LlamaLogLevel.error }));
  const defaults = { ...sampling, maxTokens };
  const load = (adapterPath?: string) =>
    LlamaEngine.load({
      modelPath: options.modelPath,
      ...(adapterPath ? { adapterPath } : {}),
      promptContract: contract,
      llama,
      gpu: false,
      sequences: 1,
      contextSize: 2048,
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
      defaults,
    });
  const base = await load();
  const clone = await load(options.adapterPath).catch(async (error) => {
    await base.close();
    throw error;
  });
  try {
    const modes: FidelityInput["modes"] = { single: [], context: [] };
    const total = picked.length * 2;
    let done = 0;
    for (const [index, { prompt, before, owner }] of picked.entries()) {
      const lastUser = before.map((m) => m.role).lastIndexOf("user");
      for (const mode of ["single", "context"] as const) {
        options.signal?.throwIfAborted();
        const messages = mode === "single" ? [{ role: "user" as const, content: prompt }] : before;
        const request = { system, messages, seed: seed + index, signal: options.signal };
        const item: FidelityItem = {
          prompt,
          context: mode === "single" ? [] : before.slice(0, lastUser),
          owner,
          base: toReply(await base.generate(request, { signal: options.signal })),
          clone: toReply(await clone.generate(request, { signal: options.signal })),
        };
        modes[mode].push(item);
        options.onProgress?.(++done, total);
      }
    }
    return buildFidelityReport({
      trainSplit: split,
      modes,
      sampling: { ...sampling, maxTokens, seed },
      perplexity: options.perplexity ?? null,
      heldOut: {
        source: stats.heldOut?.source ?? "sessions",
        sessions: stats.valSamples ?? picked.length,
        replies: picked.length,
      },
    });
  } finally {
    await clone.close();
    await base.close();
    if (!options.llama) await llama.dispose();
  }
}
