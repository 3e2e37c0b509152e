/**
 * Does the preference objective move a real clone towards its owner? SmolLM2-135M-Instruct on the synthetic
 * owner of the real-weights test (testing/kit/syntheticOwner.ts), trained twice on the CPU with the same seed
 * and steps: once with the SFT loss only (`--preference off`), once with DPO (or ORPO) added.
 *
 * The preference pairs come from held-out owner replies: every other sample of val.jsonl is taken out of
 * val (so neither run is measured on it) and becomes a pair: the turns before the reply as the prompt, the
 * owner's real reply as `chosen`, the base model's draft for the same turns (node-llama-cpp, the runtime's
 * engine, no adapter) as `rejected`, the way a correction pairs the clone's draft with the owner's edit.
 * Both runs see the same preferences.jsonl: the SFT-only run measures the margin too.
 *
 * Prints side by side: the trainer's margin (mean log P(chosen) − log P(rejected)) and pair accuracy before
 * and after, held-out perplexity, the fidelity report's authorship share (single/context) and "sounds like
 * you". Asserts nothing. Takes ~2 × 400 s of CPU at 60 steps.
 * Usage: node dist/bench/preferenceBench.js [--steps 60] [--objective dpo|orpo] [--beta 0.1] [--pairs 32]
 *        [--keep DIR]
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { smollm2Path } from "@aiclone/testing/realModels";
import { OWNER, writeSyntheticOwnerExports } from "@aiclone/testing/syntheticOwner";
import { buildSystemPrompt } from "aiclone-runtime";
import { DEFAULT_GENERATION } from "aiclone-runtime/bundle";
import { LlamaEngine } from "aiclone-runtime/engine";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const bin = join(repoRoot, "bin", "aiclone");

const { values } = parseArgs({
  options: {
    steps: { type: "string", default: "60" },
    objective: { type: "string", default: "dpo" },
    beta: { type: "string", default: "0.1" },
    pairs: { type: "string", default: "32" },
    keep: { type: "string" },
  },
});

interface Message {
  role: "system" | "user" | "assistant";
  content: string;
}
interface Pair {
  messages: Message[];
  chosen: string;
  rejected: string;
  correctionId: string;
}

function aiclone(args: string[]): void {
  const started = Date.now();
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    env: { ...process.env, TOKENIZERS_PARALLELISM: "false" },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`aiclone ${args[0]} failed:\n${result.stderr.slice(-4000)}`);
  console.error(`aiclone ${args[0]}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

const readJsonl = async (path: string) =>
  (await readFile(path, "utf8"))
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { messages: Message[] });

/** Moves every other val sample (up to `count`) out of val.jsonl; returns them. */
async function takeHeldOut(data: string, count: number): Promise<Message[][]> {
  const val = await readJsonl(join(data, "val.jsonl"));
  const taken: Message[][] = [];
  const kept: typeof val = [];
  for (const [i, sample] of val.entries()) {
    const last = sample.messages.at(-1);
    const usable = last?.role === "assistant" && sample.messages.some((m) => m.role === "user");
    if (i % 2 === 1 && usable && taken.length < count) taken.push(sample.messages);
    else kept.push(sample);
  }
  await writeFile(join(data, "val.jsonl"), kept.map((s) => `${JSON.stringify(s)}\n`).join(""));
  return taken;
}

/** The base model's drafts for the held-out turns: what an untrained clone would have said. */
async function baseDrafts(model: string, samples: Message[][], systemPrompt: string): Promise<Pair[]> {
  const llama = await getLlama({ gpu: false, logLevel: LlamaLogLevel.error });
  const engine = await LlamaEngine.load({
    modelPath: model,
    llama,
    gpu: false,
    sequences: 1,
    contextSize: 2048,
    defaults: { ...DEFAULT_GENERATION, maxTokens: 48 },
  });
  const system = buildSystemPrompt({ persona: systemPrompt, language: "en" });
  const pairs: Pair[] = [];
  try {
    for (const [i, sample] of samples.entries()) {
      const turns = sample.filter((m) => m.role !== "system");
      const before = turns.slice(0, -1) as { role: "user" | "assistant"; content: string }[];
      const draft = (await engine.generate({ system, messages: before, seed: 1 + i })).text.trim();
      const chosen = turns.at(-1)?.content ?? "";
      if (!draft || draft === chosen) continue;
      const prompt: Message[] = [{ role: "system", content: systemPrompt }, ...before];
      pairs.push({ messages: prompt, chosen, rejected: draft, correctionId: `bench-${i}` });
    }
  } finally {
    await engine.close();
    await llama.dispose();
  }
  return pairs;
}

function train(data: string, out: string, preference: string): void {
  aiclone([
    "train",
    ...["--dataset", data, "--base", "smollm2-135m-instruct", "--out", out, "--cpu"],
    ...["--max-steps", values.steps ?? "60"],
    "--",
    ...["--gradient-checkpointing", "off", "--seed", "42"],
    ...["--preference", preference, "--preference-min-pairs", "1", "--preference-beta", values.beta ?? "0.1"],
  ]);
}

const fixed = (x: unknown, digits = 3) => (typeof x === "number" ? x.toFixed(digits) : "—");

async function figures(out: string): Promise<Record<string, string>> {
  const m = JSON.parse(await readFile(join(out, "metrics.json"), "utf8"));
  const p = m.preference ?? {};
  const f = m.fidelity ?? {};
  return {
    "preference objective ran": p.ran
      ? `yes (${p.objective}, ${p.pairs} pairs, β ${p.beta})`
      : `no (${p.reason})`,
    "margin before → after (nats)": `${fixed(p.before?.margin)} → ${fixed(p.after?.margin)}`,
    "margin per token before → after": `${fixed(p.before?.marginPerToken)} → ${fixed(p.after?.marginPerToken)}`,
    "pair accuracy before → after": `${fixed(p.before?.accuracy, 2)} → ${fixed(p.after?.accuracy, 2)}`,
    "held-out perplexity (base → adapted)": `${fixed(f.perplexity?.base, 2)} → ${fixed(f.perplexity?.adapted, 2)}`,
    "authorship, single (clone / base / owner)": ["clone", "base", "owner"]
      .map((s) => fixed(f.modes?.single?.[s]?.authorship, 2))
      .join(" / "),
    "authorship, context (clone / base / owner)": ["clone", "base", "owner"]
      .map((s) => fixed(f.modes?.context?.[s]?.authorship, 2))
      .join(" / "),
    '"sounds like you" (clone / base)': `${fixed(f.soundsLikeYou?.score, 3)} / ${fixed(f.soundsLikeYou?.base?.score, 3)}`,
    "train seconds": fixed(m.train?.seconds, 0),
  };
}

async function main(): Promise<void> {
  const model = smollm2Path();
  if (!existsSync(model)) throw new Error(`${model} missing (node scripts/ensureModels.mjs fetches it)`);
  const dir = values.keep ?? (await mkdtemp(join(tmpdir(), "aiclone-preference-bench-")));
  try {
    const exports = await writeSyntheticOwnerExports(join(dir, "exports"));
    const data = join(dir, "data");
    aiclone(["dataset", "build", ...exports, "--owner", OWNER, "--out", data]);
    const stats = JSON.parse(await readFile(join(data, "stats.json"), "utf8"));
    const heldOut = await takeHeldOut(data, Number(values.pairs));
    const pairs = await baseDrafts(model, heldOut, stats.systemPrompt ?? "");
    await writeFile(join(data, "preferences.jsonl"), pairs.map((p) => `${JSON.stringify(p)}\n`).join(""));
    console.error(`${pairs.length} pairs (owner's held-out reply vs the base's draft), e.g.`, pairs[0]);
    train(data, join(dir, "sft"), "off");
    train(data, join(dir, "pref"), values.objective ?? "dpo");
    const [sft, pref] = [await figures(join(dir, "sft")), await figures(join(dir, "pref"))];
    console.log(`\n${"".padEnd(44)}${"SFT only".padEnd(30)}SFT + ${values.objective}`);
    for (const key of Object.keys(sft))
      console.log(`${key.padEnd(44)}${(sft[key] ?? "").padEnd(30)}${pref[key]}`);
  } finally {
    if (!values.keep) await rm(dir, { recursive: true, force: true });
  }
}

await main();
