import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { BaseModelError, localBaseGguf, resolveBaseModel } from "../../trainer-gateway/baseModels.js";
import { formatFidelity, type TrainerMetrics } from "./trainFidelity.js";
import { TrainProgress } from "./trainProgress.js";

// dist/cli/commands/ → the repository root, where trainer/ and scripts/ live.
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

interface TrainCommandOptions {
  dataset: string;
  base: string;
  out: string;
  maxSteps?: string;
  epochs?: string;
  rank?: string;
  alpha?: string;
  lr?: string;
  batchSize?: string;
  resume?: boolean;
  cpu?: boolean;
  verbose?: boolean;
}

class TrainOptionsError extends Error {}

function positive(option: string, value: string | undefined, integer: boolean): string | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new TrainOptionsError(
      `${option} must be a positive ${integer ? "integer" : "number"}, got '${value}'`,
    );
  return value;
}

/** Path of the trainer venv's python, installing it first when needed (instant when installed). */
function trainerPython(): string {
  const result = spawnSync(process.execPath, [join(repoRoot, "scripts", "ensureTrainerEnv.mjs")], {
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
  });
  const python = result.stdout?.trim().split("\n").pop();
  if (result.status !== 0 || !python)
    throw new TrainOptionsError(
      `the trainer's Python environment could not be prepared (exit ${result.status})`,
    );
  return python;
}

type TrainerEvent = { event: string } & Record<string, unknown>;

export function registerTrainCommands(program: Command): void {
  program
    .command("train")
    .description("fine-tune a LoRA adapter on a dataset built by `aiclone dataset build` (Python trainer)")
    .requiredOption("--dataset <dir>", "folder with train.jsonl (and val.jsonl for the fidelity report)")
    .requiredOption("--base <name|path>", "base model: a registry name or the path of a .gguf file")
    .requiredOption("--out <dir>", "output folder: adapter.gguf, peft/, metrics.json, checkpoints/")
    .option("--max-steps <n>", "stop after this many optimizer steps")
    .option("--epochs <n>", "passes over the training set (default 3)")
    .option("--rank <n>", "LoRA rank (default 16)")
    .option("--alpha <n>", "LoRA alpha (default 32)")
    .option("--lr <rate>", "learning rate (default 2e-4)")
    .option("--batch-size <n>", "samples per step (default 4)")
    .option("--resume", "continue from the newest checkpoint in --out")
    .option("--cpu", "train on the CPU even when a GPU is present")
    .option("--verbose", "show the trainer's own log instead of a progress bar")
    .argument("[trainerArgs...]", "further trainer flags after `--` (see trainer/README.md)")
    .action(async (trainerArgs: string[], options: TrainCommandOptions) => {
      try {
        process.exitCode = await train(options, trainerArgs);
      } catch (error) {
        if (!(error instanceof TrainOptionsError || error instanceof BaseModelError)) throw error;
        console.error(`aiclone train: ${error.message}`);
        process.exitCode = 1;
      }
    });
}

async function train(options: TrainCommandOptions, extra: string[]): Promise<number> {
  const dataset = resolve(options.dataset);
  if (!existsSync(join(dataset, "train.jsonl")))
    throw new TrainOptionsError(
      `--dataset ${options.dataset}: no train.jsonl there (build one with \`aiclone dataset build\`)`,
    );
  const base = localBaseGguf(resolveBaseModel(options.base));
  const out = resolve(options.out);
  const args = [
    join(repoRoot, "trainer", "train_qlora.py"),
    "--dataset",
    dataset,
    "--base",
    base,
    "--out",
    out,
  ];
  const flags: [string, string | undefined][] = [
    ["--max-steps", positive("--max-steps", options.maxSteps, true)],
    ["--epochs", positive("--epochs", options.epochs, false)],
    ["--rank", positive("--rank", options.rank, true)],
    ["--alpha", positive("--alpha", options.alpha, false)],
    ["--lr", positive("--lr", options.lr, false)],
    ["--batch-size", positive("--batch-size", options.batchSize, true)],
  ];
  for (const [flag, value] of flags) if (value !== undefined) args.push(flag, value);
  if (options.resume) args.push("--resume");
  if (options.cpu) args.push("--cpu");
  args.push(...extra);

  const python = trainerPython();
  await mkdir(out, { recursive: true });
  const logPath = join(out, "trainer.log");
  const log = createWriteStream(logPath, { flags: "a" });
  const env = {
    ...process.env,
    TOKENIZERS_PARALLELISM: "false",
    PYTHONUNBUFFERED: "1",
    // Converting a GGUF tokenizer takes ~40 s; one cache per checkout makes later runs skip it.
    AICLONE_TRAINER_CACHE: process.env.AICLONE_TRAINER_CACHE ?? join(repoRoot, ".cache", "trainer-cache"),
  };
  // Own process group: a terminal's Ctrl-C reaches only us, and we forward it once, so the trainer
  // sees exactly one signal, finishes its step and checkpoints.
  const child = spawn(python, args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const progress = new TrainProgress(process.stderr, options.verbose === true);
  const forward = (signal: NodeJS.Signals) => {
    progress.note(`${signal}: asking the trainer to stop after this step and save a checkpoint`);
    child.kill(signal);
  };
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);

  child.stderr.on("data", (chunk: Buffer) => {
    log.write(chunk);
    if (options.verbose) process.stderr.write(chunk);
  });
  let last: TrainerEvent | undefined;
  const lines = createInterface({ input: child.stdout });
  lines.on("line", (line) => {
    if (!line.trim()) return;
    let event: TrainerEvent;
    try {
      event = JSON.parse(line) as TrainerEvent;
    } catch {
      log.write(`[stdout] ${line}\n`);
      return;
    }
    last = event;
    progress.onEvent(event);
  });
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>(
    (done) => {
      child.once("error", (error) => done({ code: null, signal: null, error }));
      child.once("close", (code, signal) => done({ code, signal }));
    },
  );
  process.off("SIGINT", forward);
  process.off("SIGTERM", forward);
  progress.stop();
  await new Promise((done) => log.end(done));

  if (exit.error) {
    console.error(`aiclone train: the trainer could not start: ${exit.error.message}`);
    return 1;
  }
  if (last?.event === "stopped") {
    console.error(
      `aiclone train: stopped at step ${last.step}/${last.total_steps}` +
        (last.checkpoint ? `; checkpoint ${last.checkpoint} (continue with --resume)` : "; no checkpoint"),
    );
    return exit.code ?? 143;
  }
  if (exit.code !== 0 || last?.event !== "completed") {
    const reason =
      last?.event === "failed"
        ? String(last.reason)
        : `the trainer exited with ${exit.code ?? exit.signal} without a result`;
    console.error(`aiclone train: ${reason}\n(trainer log: ${logPath})`);
    return exit.code && exit.code !== 0 ? exit.code : 1;
  }
  console.log(
    `trained ${last.steps} steps in ${Number(last.seconds).toFixed(1)} s; final loss ${Number(last.final_loss).toFixed(4)}`,
  );
  console.log(`adapter: ${last.adapter_gguf}`);
  const metricsPath = String(last.metrics ?? join(out, "metrics.json"));
  try {
    const metrics = JSON.parse(await readFile(metricsPath, "utf8")) as TrainerMetrics;
    console.log(`\n${formatFidelity(metrics)}`);
  } catch (error) {
    console.error(`aiclone train: could not read ${metricsPath}: ${(error as Error).message}`);
    return 1;
  }
  return 0;
}
