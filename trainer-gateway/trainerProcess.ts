import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

// dist/trainer-gateway/ → the repository root, where trainer/ and scripts/ live.
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** One JSON line of the trainer's stdout (trainer/README.md, "Progress protocol"). */
export type TrainerEvent = { event: string } & Record<string, unknown>;

export interface TrainerRunOptions {
  /** train_qlora.py arguments after the script (dataset, base, out, flags). */
  args: string[];
  /** The trainer's stderr goes here (appended). */
  logPath: string;
  onEvent(event: TrainerEvent): void;
  /** Mirrors the trainer's stderr (the CLI's --verbose). */
  onStderr?: (chunk: Buffer) => void;
  /** Aborting sends SIGTERM once: the trainer finishes its step, checkpoints and exits 143. */
  signal?: AbortSignal;
  /** Aborting sends SIGKILL: the trainer ends at once, as in a crash. */
  kill?: AbortSignal;
  /** The trainer script (default trainer/train_qlora.py); tests run a stand-in that speaks the same protocol. */
  script?: string;
}

export interface TrainerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last event line (completed, failed or stopped when the trainer ended normally). */
  last: TrainerEvent | undefined;
  /** Set when the process could not be started at all. */
  spawnError?: Error;
}

export class TrainerEnvironmentError extends Error {
  override name = "TrainerEnvironmentError";
}

/**
 * The trainer venv's python (`training.venv`, `training.extras`), installing the environment first when needed (instant once installed;
 * the first install downloads torch and takes minutes). Asynchronous, so a platform process keeps
 * serving meanwhile.
 */
export async function trainerPython(where: { venv?: string; extras?: string } = {}): Promise<string> {
  const env = {
    ...process.env,
    ...(where.venv ? { AICLONE_TRAINING__VENV: where.venv } : {}),
    ...(where.extras ? { AICLONE_TRAINING__EXTRAS: where.extras } : {}),
  };
  const child = spawn(process.execPath, [join(repoRoot, "scripts", "ensureTrainerEnv.mjs")], {
    stdio: ["ignore", "pipe", "pipe"],
    env,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const code = await new Promise<number | null>((resolve) => {
    child.once("error", () => resolve(null));
    child.once("close", resolve);
  });
  const python = stdout.trim().split("\n").pop();
  if (code !== 0 || !python)
    throw new TrainerEnvironmentError(
      `the trainer's Python environment could not be prepared (exit ${code}): ${stderr.trim().split("\n").slice(-3).join(" | ")}`,
    );
  return python;
}

export const trainerScript = join(repoRoot, "trainer", "train_qlora.py");

/** Runs train_qlora.py to its end and reports each event line; never throws for a failed training. */
export async function runTrainer(python: string, options: TrainerRunOptions): Promise<TrainerExit> {
  await mkdir(join(options.logPath, ".."), { recursive: true });
  const log = createWriteStream(options.logPath, { flags: "a" });
  const env = {
    ...process.env,
    TOKENIZERS_PARALLELISM: "false",
    PYTHONUNBUFFERED: "1",
    // Converting a GGUF tokenizer takes ~40 s; one cache per checkout makes later runs skip it.
    AICLONE_TRAINER_CACHE: process.env.AICLONE_TRAINER_CACHE ?? join(repoRoot, ".cache", "trainer-cache"),
  };
  // Own process group: a terminal's Ctrl-C reaches only the parent, which forwards exactly one signal.
  const child = spawn(python, [options.script ?? trainerScript, ...options.args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  };
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener("abort", stop, { once: true });
  if (options.kill?.aborted) kill();
  options.kill?.addEventListener("abort", kill, { once: true });

  child.stderr.on("data", (chunk: Buffer) => {
    log.write(chunk);
    options.onStderr?.(chunk);
  });
  let last: TrainerEvent | undefined;
  createInterface({ input: child.stdout }).on("line", (line) => {
    if (!line.trim()) return;
    let event: TrainerEvent;
    try {
      event = JSON.parse(line) as TrainerEvent;
    } catch {
      log.write(`[stdout] ${line}\n`);
      return;
    }
    last = event;
    options.onEvent(event);
  });
  const exit = await new Promise<TrainerExit>((resolve) => {
    child.once("error", (spawnError) => resolve({ code: null, signal: null, last, spawnError }));
    child.once("close", (code, signal) => resolve({ code, signal, last }));
  });
  options.signal?.removeEventListener("abort", stop);
  options.kill?.removeEventListener("abort", kill);
  await new Promise((done) => log.end(done));
  return { ...exit, last };
}

/** Why a run that did not complete ended, in words. */
export function trainerFailure(exit: TrainerExit): string {
  if (exit.spawnError) return `the trainer could not start: ${exit.spawnError.message}`;
  if (exit.last?.event === "failed") return String(exit.last.reason);
  return `the trainer exited with ${exit.code ?? exit.signal} without a result`;
}
