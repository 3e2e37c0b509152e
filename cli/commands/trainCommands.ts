import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { measureFidelity } from "aiclone-runtime/fidelity";
import type { Command } from "commander";
import { DATASET_FILES, TRAINING_OUTPUT } from "../../domain/artifacts/artifactKeys.js";
import { assertSupportedArchitecture } from "../../trainer-gateway/baseArchitecture.js";
import { BaseModelError, localBaseGguf, resolveBaseModel } from "../../trainer-gateway/baseModels.js";
import {
  runTrainer,
  TrainerEnvironmentError,
  trainerFailure,
  trainerPython,
} from "../../trainer-gateway/trainerProcess.js";
import { formatFidelity, type TrainerMetrics, trainerPerplexity } from "./trainFidelity.js";
import { baseModelLanguageWarning } from "./trainLanguageCheck.js";
import { TrainProgress } from "./trainProgress.js";

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
  /** --no-fidelity: skip the report through the runtime. */
  fidelity?: boolean;
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
    .option("--no-fidelity", "skip the fidelity report through the runtime (replies to held-out messages)")
    .argument("[trainerArgs...]", "further trainer flags after `--` (see trainer/README.md)")
    .action(async (trainerArgs: string[], options: TrainCommandOptions) => {
      try {
        process.exitCode = await train(options, trainerArgs);
      } catch (error) {
        if (
          !(
            error instanceof TrainOptionsError ||
            error instanceof BaseModelError ||
            error instanceof TrainerEnvironmentError
          )
        )
          throw error;
        console.error(`aiclone train: ${error.message}`);
        process.exitCode = 1;
      }
    });
}

async function train(options: TrainCommandOptions, extra: string[]): Promise<number> {
  const dataset = resolve(options.dataset);
  if (!existsSync(join(dataset, DATASET_FILES.train)))
    throw new TrainOptionsError(
      `--dataset ${options.dataset}: no train.jsonl there (build one with \`aiclone dataset build\`)`,
    );
  const model = resolveBaseModel(options.base);
  const languageWarning = await baseModelLanguageWarning(dataset, model);
  if (languageWarning) console.error(`aiclone train: warning: ${languageWarning}`);
  const base = localBaseGguf(model);
  await assertSupportedArchitecture(base);
  const out = resolve(options.out);
  const args = ["--dataset", dataset, "--base", base, "--out", out];
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

  const python = await trainerPython();
  await mkdir(out, { recursive: true });
  const logPath = join(out, "trainer.log");
  const progress = new TrainProgress(process.stderr, options.verbose === true);
  const abort = new AbortController();
  const forward = (signal: NodeJS.Signals) => {
    progress.note(`${signal}: asking the trainer to stop after this step and save a checkpoint`);
    abort.abort();
  };
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  const exit = await runTrainer(python, {
    args,
    logPath,
    signal: abort.signal,
    onEvent: (event) => progress.onEvent(event),
    ...(options.verbose ? { onStderr: (chunk: Buffer) => process.stderr.write(chunk) } : {}),
  });
  process.off("SIGINT", forward);
  process.off("SIGTERM", forward);
  progress.stop();
  const last = exit.last;

  if (exit.spawnError) {
    console.error(`aiclone train: ${trainerFailure(exit)}`);
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
    console.error(`aiclone train: ${trainerFailure(exit)}\n(trainer log: ${logPath})`);
    return exit.code && exit.code !== 0 ? exit.code : 1;
  }
  console.log(
    `trained ${last.steps} steps in ${Number(last.seconds).toFixed(1)} s; final loss ${Number(last.final_loss).toFixed(4)}`,
  );
  console.log(`adapter: ${last.adapter_gguf}`);
  const metricsPath = String(last.metrics ?? join(out, TRAINING_OUTPUT.metrics));
  let metrics: TrainerMetrics & Record<string, unknown>;
  try {
    metrics = JSON.parse(await readFile(metricsPath, "utf8"));
  } catch (error) {
    console.error(`aiclone train: could not read ${metricsPath}: ${(error as Error).message}`);
    return 1;
  }
  if (options.fidelity !== false) {
    metrics.fidelity = await runtimeFidelity(base, String(last.adapter_gguf), dataset, metrics);
    await writeFile(metricsPath, `${JSON.stringify(metrics, null, 2)}\n`, "utf8");
  }
  console.log(`\n${formatFidelity(metrics)}`);
  return 0;
}

/** The fidelity report through the runtime (node-llama-cpp, the exported adapter, the bundle's defaults). */
async function runtimeFidelity(
  modelPath: string,
  adapterPath: string,
  datasetDir: string,
  metrics: TrainerMetrics & Record<string, unknown>,
) {
  const config = (metrics.config ?? {}) as { eval_prompts?: number; eval_new_tokens?: number };
  let shown = -1;
  const report = await measureFidelity({
    modelPath,
    adapterPath,
    datasetDir,
    perplexity: trainerPerplexity(metrics),
    ...(config.eval_prompts ? { prompts: config.eval_prompts } : {}),
    ...(config.eval_new_tokens ? { maxTokens: config.eval_new_tokens } : {}),
    onProgress: (done, total) => {
      const percent = Math.floor((100 * done) / total);
      if (percent >= shown + 10 || done === total) {
        shown = percent;
        process.stderr.write(`measuring the clone through the runtime: ${done}/${total} replies\n`);
      }
    },
  });
  return report;
}
