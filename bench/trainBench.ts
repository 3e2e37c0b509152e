/**
 * Training speed and memory of the Python trainer (trainer/train_qlora.py). Run:
 * `node dist/bench/trainBench.js [--steps 40] [--samples 1500] [--tiny-steps 40] [--keep DIR]`.
 *
 * Writes the synthetic chat dataset of `trainChatDataset.ts`, then trains on the CPU for a fixed number of
 * steps (batch 4, rank 16, the default cutoff) on each base model it finds:
 * - SmolLM2-135M-Instruct Q4_1 GGUF (`--base`, default `.cache/models/SmolLM2-135M-Instruct.Q4_1.gguf`;
 *   nothing is downloaded here: a missing file is reported and skipped),
 * - llama-2-tiny-random.gguf from `../shared/models` (a 1-block model: the trainer's own overhead).
 * For each it prints tokens/s over the training steps, seconds per step, and the peak RSS of the trainer's
 * process tree, sampled from /proc every 100 ms, next to the trainer's own `peak_rss_bytes` (getrusage).
 * On a CUDA machine (`--gpu`) it adds the same run without `--cpu` and the trainer's peak GPU memory;
 * `trainer/bench_gpu.py` measures a 7B-shaped model on the GPU.
 *
 * Memory bound: a CPU run fails the bench (exit status 1) when its process tree's peak RSS passes
 * `--max-rss-mb` (default 2560) or when its RSS grows by more than `--max-growth` (default 0.15 = 15 %)
 * from the first step's report to the last (a leak that a short run would hide under the bound).
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { tinyModelPath } from "@aiclone/testing/sharedData";
import { trainerPython, trainerScript } from "../trainer-gateway/trainerProcess.js";
import { writeChatDataset } from "./trainChatDataset.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const PAGE = 4096;

/** Resident bytes of a process and all its descendants, from /proc (Linux); 0 where /proc is absent. */
function treeRss(rootPid: number): number {
  let children: Map<number, number[]>;
  try {
    children = new Map();
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        const list = children.get(ppid) ?? [];
        list.push(Number(entry));
        children.set(ppid, list);
      } catch {
        // the process ended while we looked
      }
    }
  } catch {
    return 0;
  }
  let total = 0;
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.pop() as number;
    try {
      const resident = Number(readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]);
      total += resident * PAGE;
    } catch {
      continue;
    }
    queue.push(...(children.get(pid) ?? []));
  }
  return total;
}

interface RunResult {
  label: string;
  device: string;
  steps: number;
  tokensPerSecond: number;
  secondsPerStep: number;
  firstLoss: number;
  finalLoss: number;
  peakTreeRss: number;
  /** The tree's RSS when the first and the last step reported (`progress` events). */
  stepRss: [number, number];
  peakRssReported: number | null;
  peakGpu: number | null;
  wallSeconds: number;
}

async function trainOnce(
  python: string,
  label: string,
  base: string,
  dataset: string,
  out: string,
  steps: number,
  cpu: boolean,
): Promise<RunResult> {
  const args = [
    trainerScript,
    "--dataset",
    dataset,
    "--base",
    base,
    "--out",
    out,
    "--max-steps",
    String(steps),
    "--eval-prompts",
    "2",
    "--eval-new-tokens",
    "16",
    "--eval-max-samples",
    "16",
    ...(cpu ? ["--cpu"] : []),
  ];
  const started = Date.now();
  const child = spawn(python, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      TOKENIZERS_PARALLELISM: "false",
      AICLONE_TRAINER_CACHE: process.env.AICLONE_TRAINER_CACHE ?? join(repoRoot, ".cache", "trainer-cache"),
    },
  });
  let stderrTail = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-3000);
  });
  let peakTreeRss = 0;
  const sampler = setInterval(() => {
    if (child.pid) peakTreeRss = Math.max(peakTreeRss, treeRss(child.pid));
  }, 100);
  const events: Array<Record<string, any>> = [];
  const stepRss: number[] = [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    if (!line.startsWith("{")) return;
    const event = JSON.parse(line);
    events.push(event);
    if (event.event === "progress" && child.pid) stepRss.push(treeRss(child.pid));
  });
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  clearInterval(sampler);
  const last = events.at(-1);
  if (code !== 0 || last?.event !== "completed")
    throw new Error(`${label}: trainer exited ${code}: ${JSON.stringify(last)}\n${stderrTail}`);
  const metrics = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8"));
  const train = metrics.train;
  const started_ = events.find((e) => e.event === "started");
  return {
    label,
    device: `${started_?.device} ${started_?.dtype}`,
    steps: train.steps,
    tokensPerSecond: train.tokens_per_second,
    secondsPerStep: train.seconds / Math.max(1, train.steps - train.start_step),
    firstLoss: train.first_loss,
    finalLoss: train.final_loss,
    peakTreeRss,
    stepRss: [stepRss[0] ?? 0, stepRss.at(-1) ?? 0],
    peakRssReported: last.peak_rss_bytes ?? null,
    peakGpu: started_?.device === "cuda" ? train.peak_memory_bytes : null,
    wallSeconds: (Date.now() - started) / 1000,
  };
}

function row(r: RunResult): string {
  const gib = (v: number | null) => (v == null ? "n/a" : `${(v / 2 ** 30).toFixed(2)} GiB`);
  return (
    `${r.label.padEnd(28)} ${r.device.padEnd(14)} ${String(r.steps).padStart(4)} steps  ` +
    `${r.tokensPerSecond.toFixed(1).padStart(7)} tok/s  ${r.secondsPerStep.toFixed(2).padStart(6)} s/step  ` +
    `peak RSS tree ${gib(r.peakTreeRss)} (trainer getrusage ${gib(r.peakRssReported)}; ` +
    `first step ${gib(r.stepRss[0])}, last ${gib(r.stepRss[1])})  ` +
    `GPU ${gib(r.peakGpu)}  loss ${r.firstLoss.toFixed(3)} -> ${r.finalLoss.toFixed(3)}  wall ${r.wallSeconds.toFixed(0)} s`
  );
}

/** Why a CPU run breaks the memory bound (nothing when it keeps it). */
function overBound(r: RunResult, bound: { rss: number; growth: number }): string[] {
  const mb = (v: number) => `${(v / 2 ** 20).toFixed(0)} MB`;
  const out: string[] = [];
  if (r.peakTreeRss >= bound.rss) out.push(`${r.label}: peak RSS ${mb(r.peakTreeRss)} >= ${mb(bound.rss)}`);
  const [first, last] = r.stepRss;
  if (first > 0 && last > first * (1 + bound.growth))
    out.push(`${r.label}: RSS grew ${mb(first)} -> ${mb(last)} over the steps`);
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      steps: { type: "string", default: "40" },
      "tiny-steps": { type: "string", default: "40" },
      samples: { type: "string", default: "1500" },
      base: {
        type: "string",
        default: join(repoRoot, ".cache", "models", "SmolLM2-135M-Instruct.Q4_1.gguf"),
      },
      gpu: { type: "boolean", default: false },
      keep: { type: "string" },
      "max-rss-mb": { type: "string", default: "2560" },
      "max-growth": { type: "string", default: "0.15" },
    },
  });
  const bound = { rss: Number(values["max-rss-mb"]) * 2 ** 20, growth: Number(values["max-growth"]) };
  const failures: string[] = [];
  const tiny = tinyModelPath();
  const python = await trainerPython();
  const root = values.keep ?? (await mkdtemp(join(tmpdir(), "bench-train-")));
  try {
    const dataset = join(root, "dataset");
    const counts = await writeChatDataset(dataset, Number(values.samples));
    console.log(
      `training bench: ${counts.train} train / ${counts.val} val synthetic chat samples, batch 4, rank 16, default cutoff`,
    );
    const runs: Array<[string, string, number, boolean]> = [];
    if (existsSync(values.base))
      runs.push(["SmolLM2-135M Q4_1 (CPU)", values.base, Number(values.steps), true]);
    else console.log(`skipped SmolLM2: ${values.base} missing (pass --base FILE)`);
    if (existsSync(tiny)) runs.push(["llama-2-tiny-random (CPU)", tiny, Number(values["tiny-steps"]), true]);
    else console.log(`skipped the tiny model: ${tiny} missing`);
    if (values.gpu && existsSync(values.base))
      runs.push(["SmolLM2-135M Q4_1 (GPU)", values.base, Number(values.steps), false]);
    if (!values.gpu)
      console.log("GPU row: pass --gpu on a CUDA machine; trainer/bench_gpu.py benches a 7B shape");
    for (const [index, [label, base, steps, cpu]] of runs.entries()) {
      const result = await trainOnce(python, label, base, dataset, join(root, `out-${index}`), steps, cpu);
      console.log(row(result));
      if (cpu) failures.push(...overBound(result, bound));
    }
    console.log(
      `memory bound (CPU runs): peak RSS < ${values["max-rss-mb"]} MB, growth first → last step < ${(bound.growth * 100).toFixed(0)} %: ` +
        (failures.length === 0 ? "met" : `NOT MET\n  ${failures.join("\n  ")}`),
    );
    if (failures.length > 0) process.exitCode = 1;
  } finally {
    if (!values.keep) await rm(root, { recursive: true, force: true });
  }
}

await main();
