/**
 * A stand-in for trainer/train_qlora.py that speaks the same protocol (arguments, JSON event lines,
 * checkpoints under <out>/checkpoints/step-N, --resume, SIGTERM → checkpoint + exit 143, outputs) in
 * milliseconds per step, so the gateway's job handling (leases, resume elsewhere, cancel) is tested
 * without torch. The real trainer is covered by trainer/tests and the end-to-end tests.
 * --init-adapter DIR (a continued run) puts DIR's adapter_config.json into metrics.json as `init_adapter`.
 * --preference / --preference-min-pairs are decided as the trainer decides them (the objective runs only on
 * at least that many pairs of preferences.jsonl) and reported in metrics.json as `preference`, without the
 * margins the real trainer measures.
 * STANDIN_STEP_MS sets the time per step (default 40); --seed 666 fails at step 2.
 * adapter.gguf is a real tiny LoRA for the random-weight test model (the preview applies it); with
 * STANDIN_ADAPTER_BYTES it is a header and that many random, so incompressible, bytes, which make packing a
 * bundle take seconds (tests/faults: a crash during a publish).
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tinyPromptContract, writeTinyLoraAdapter } from "@aiclone/testing/loraAdapterGguf";
import { ggufHeader } from "./ggufHeader.js";

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const emit = (event: string, fields: Record<string, unknown> = {}) =>
  process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);

const dataset = arg("--dataset") ?? "";
const base = arg("--base") ?? "";
const out = arg("--out") ?? "";
const total = Number(arg("--max-steps") ?? 10);
const every = Number(arg("--checkpoint-every") ?? 0);
const stepMs = Number(process.env.STANDIN_STEP_MS ?? 40);
const adapterBytes = Math.max(64, Number(process.env.STANDIN_ADAPTER_BYTES ?? 64));
const trainLines = readFileSync(join(dataset, "train.jsonl"), "utf8").split("\n").filter(Boolean).length;

let stopping = false;
process.on("SIGTERM", () => {
  stopping = true;
});

const ckptRoot = join(out, "checkpoints");
function save(step: number): string {
  const final = join(ckptRoot, `step-${step}`);
  const tmp = join(ckptRoot, `.step-${step}.tmp`);
  mkdirSync(join(tmp, "adapter"), { recursive: true });
  writeFileSync(join(tmp, "state.json"), JSON.stringify({ step, base: base.split("/").pop() }));
  writeFileSync(join(tmp, "adapter", "weights.bin"), Buffer.alloc(64, step));
  renameSync(tmp, final);
  return final;
}
function latest(): number {
  if (!existsSync(ckptRoot)) return 0;
  const steps = readdirSync(ckptRoot)
    .filter((n) => /^step-\d+$/.test(n) && existsSync(join(ckptRoot, n, "state.json")))
    .map((n) => (JSON.parse(readFileSync(join(ckptRoot, n, "state.json"), "utf8")) as { step: number }).step);
  return steps.length ? Math.max(...steps) : 0;
}

const start = args.includes("--resume") ? latest() : 0;
emit("started", {
  total_steps: total,
  start_step: start,
  train_samples: trainLines,
  device: "cpu",
  dtype: "fp32",
});
const losses: number[] = [];
let step = start;
const started = Date.now();
while (step < total) {
  await new Promise((r) => setTimeout(r, stepMs));
  if (stopping) {
    const path = step > start ? save(step) : null;
    if (path) emit("checkpoint", { path, step });
    emit("stopped", { step, total_steps: total, checkpoint: path, signal: "SIGTERM" });
    process.exit(143);
  }
  if (arg("--seed") === "666" && step === 2) {
    emit("failed", { reason: "stand-in failure: out of memory at step 2" });
    process.exit(1);
  }
  step++;
  const loss = 3 / step;
  losses.push(loss);
  const elapsed = (Date.now() - started) / 1000;
  emit("progress", {
    step,
    total_steps: total,
    epoch: step / total,
    loss,
    learning_rate: 2e-4,
    tokens_per_second: 100,
    eta_seconds: ((total - step) * elapsed) / (step - start),
  });
  if (every && step % every === 0 && step < total) emit("checkpoint", { path: save(step), step });
}
mkdirSync(join(out, "peft"), { recursive: true });
// The output folder is <work>/<runId>-<attempt>/out: a continued run's metrics name the run its parent came from.
writeFileSync(join(out, "peft", "adapter_config.json"), JSON.stringify({ r: 16, trainedIn: out }));
const initAdapter = arg("--init-adapter");
const firstSample = readFileSync(join(dataset, "train.jsonl"), "utf8").split("\n")[0] ?? "{}";
const firstMessage = (JSON.parse(firstSample) as { messages?: { role: string; content: string }[] })
  .messages?.[0];
const standInContract = tinyPromptContract(firstMessage?.role === "system" ? firstMessage.content : null);
if (process.env.STANDIN_ADAPTER_BYTES === undefined) {
  // A real (tiny) LoRA for the random-weight test model: the preview and the runtime can apply it.
  await writeTinyLoraAdapter(join(out, "adapter.gguf"), { promptContract: standInContract });
} else {
  const header = ggufHeader({
    "general.architecture": "llama",
    "general.type": "adapter",
    "adapter.type": "lora",
    "aiclone.prompt_contract": JSON.stringify(standInContract),
  });
  writeFileSync(
    join(out, "adapter.gguf"),
    Buffer.concat([
      header,
      adapterBytes > header.length ? randomBytes(adapterBytes - header.length) : Buffer.alloc(0),
    ]),
  );
}
/** The trainer's preference decision (trainer/aiclone_trainer/preference.py `decide`), without its figures. */
function preferenceReport() {
  const file = join(dataset, "preferences.jsonl");
  const pairs = existsSync(file)
    ? readFileSync(file, "utf8")
        .split("\n")
        .filter((l) => l.trim()).length
    : 0;
  const objective = arg("--preference") ?? "off";
  const minPairs = Number(arg("--preference-min-pairs") ?? 8);
  const reason = objective === "off" ? "off" : pairs < minPairs ? "tooFewPairs" : null;
  return { objective, ran: reason === null, reason, pairs, minPairs };
}
const metrics = {
  base,
  preference: preferenceReport(),
  train: { steps: step, start_step: start, total_steps: total, losses },
  eval: { perplexity: { base: 12.5, adapted: 9.75 } },
  // What --init-adapter pointed at: the parent's adapter_config.json as the worker downloaded it.
  ...(initAdapter
    ? { init_adapter: JSON.parse(readFileSync(join(initAdapter, "adapter_config.json"), "utf8")) as unknown }
    : {}),
};
writeFileSync(join(out, "metrics.json"), JSON.stringify(metrics));
emit("completed", { steps: step, total_steps: total, final_loss: losses.at(-1) ?? null, seconds: 0.1 });
