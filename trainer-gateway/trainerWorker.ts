import { randomBytes } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import type { ArtifactStore } from "../infra/blobstore/artifactStore.js";
import type { DeliveredMessage, EventBus, Subscription } from "../infra/bus/eventBus.js";
import { downloadPrefix, uploadFolder } from "./artifactFolders.js";
import { localBaseGguf, resolveBaseModel } from "./baseModels.js";
import { checkHyperparameters, trainerFlags } from "./hyperparameters.js";
import {
  assignmentsTopic,
  parseAssignment,
  type ReportBody,
  report,
  reportsTopic,
  type TrainingJobSpec,
} from "./jobProtocol.js";
import { runTrainer, type TrainerEvent, trainerFailure, trainerPython } from "./trainerProcess.js";
import type { GatewayLogger } from "./trainingGateway.js";

export interface TrainerWorkerDeps {
  bus: EventBus;
  artifacts: ArtifactStore;
  /** Scratch space for datasets, checkpoints and outputs; each job's folder is removed when it ends. */
  workDir: string;
  logger: GatewayLogger;
  /** `local`: inside the platform process; `remote`: a GPU machine running `aiclone trainer worker`. */
  backend: "local" | "remote";
  workerId?: string;
  /** How often the worker says it is alive (and, when idle, that it wants work). */
  heartbeatMs?: number;
  /** Shortest interval between two progress reports (the first and the last step are always sent). */
  progressIntervalMs?: number;
  /** Checkpoint every N steps unless the job's hyperparameters say otherwise. */
  checkpointEvery?: number;
  /** How the trainer runs; tests substitute a stand-in script that speaks the trainer's protocol. */
  trainer?: { python: () => Promise<string>; script?: string };
  device?: string;
}

type StopReason = "cancel" | "revoke" | "shutdown";

interface CurrentJob {
  spec: TrainingJobSpec;
  stop: AbortController;
  kill: AbortController;
  reason: StopReason | null;
  done: Promise<void>;
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Takes training jobs from the bus one at a time and runs the Python trainer on them: downloads the
 * dataset (and the checkpoint of an earlier attempt), reports progress and uploaded checkpoints while it
 * trains, uploads the adapter and metrics when it ends. Heartbeats keep its lease; a cancel or a revoke
 * stops the trainer after its current step.
 */
export class TrainerWorker {
  readonly workerId: string;
  private subscription: Subscription | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private current: CurrentJob | null = null;
  private outbox: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly deps: TrainerWorkerDeps) {
    this.workerId = deps.workerId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
  }

  async start(): Promise<void> {
    await mkdir(this.deps.workDir, { recursive: true });
    this.subscription = await this.deps.bus.subscribe(
      assignmentsTopic,
      // Every worker reads every assignment (its own group) and keeps what is addressed to it.
      { group: `trainer-worker-${this.workerId}`, startFrom: "latest", maxAttempts: 3 },
      (message) => this.onAssignment(message),
    );
    this.beat();
    this.heartbeat = setInterval(() => this.beat(), this.deps.heartbeatMs ?? 2_000);
    this.heartbeat.unref();
    this.deps.logger.info({ worker: this.workerId, backend: this.deps.backend }, "trainer worker ready");
  }

  /** Graceful: the running trainer checkpoints, the checkpoint is uploaded and the job handed back. */
  async stop(): Promise<void> {
    await this.close("shutdown");
  }

  /** As if the machine died: the trainer is killed, nothing more is reported (tests of lost leases). */
  async crash(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeat);
    const job = this.current;
    job?.kill.abort();
    await this.subscription?.close();
    await job?.done;
  }

  get busy(): boolean {
    return this.current !== null;
  }

  private async close(reason: StopReason): Promise<void> {
    if (this.closed) return;
    const job = this.current;
    if (job) this.stopJob(job, reason);
    await job?.done;
    this.closed = true;
    clearInterval(this.heartbeat);
    await this.subscription?.close();
    await this.outbox;
  }

  private beat(): void {
    if (this.closed) return;
    const job = this.current;
    this.send(
      job
        ? { kind: "heartbeat", workerId: this.workerId, jobId: job.spec.jobId, attempt: job.spec.attempt }
        : {
            kind: "available",
            workerId: this.workerId,
            backend: this.deps.backend,
            ...(this.deps.device ? { device: this.deps.device } : {}),
          },
    );
  }

  /** Reports go out one after another, in order; the bus handler never waits for them. */
  private send(body: ReportBody, before?: () => Promise<void>): void {
    this.outbox = this.outbox
      .then(async () => {
        if (before) await before();
        if (this.closed && body.kind !== "stopped") return;
        await this.deps.bus.publish(reportsTopic, [{ key: this.workerId, value: report(body) }]);
      })
      .catch((error) =>
        this.deps.logger.error(
          { worker: this.workerId, kind: body.kind, error: reasonOf(error) },
          "report failed",
        ),
      );
  }

  private async onAssignment(message: DeliveredMessage): Promise<void> {
    const order = parseAssignment(message.value);
    if (order.workerId !== this.workerId || this.closed) return;
    if (order.kind === "assign") {
      if (this.current) {
        // The gateway thinks we are idle; the lease of this second job expires and it moves on.
        this.deps.logger.warn(
          { jobId: order.job.jobId, busyWith: this.current.spec.jobId },
          "assignment while busy",
        );
        return;
      }
      const job: CurrentJob = {
        spec: order.job,
        stop: new AbortController(),
        kill: new AbortController(),
        reason: null,
        done: Promise.resolve(),
      };
      this.current = job;
      // Not awaited: the job runs for minutes or hours, and the bus must go on delivering cancels.
      job.done = this.run(job).finally(() => {
        this.current = null;
        this.beat();
      });
      return;
    }
    const job = this.current;
    if (job && job.spec.jobId === order.jobId && job.spec.attempt === order.attempt)
      this.stopJob(job, order.kind === "cancel" ? "cancel" : "revoke");
  }

  private stopJob(job: CurrentJob, reason: StopReason): void {
    job.reason ??= reason;
    job.stop.abort();
  }

  private ref(job: CurrentJob) {
    return { workerId: this.workerId, jobId: job.spec.jobId, attempt: job.spec.attempt };
  }

  private async run(job: CurrentJob): Promise<void> {
    const { spec } = job;
    const dir = join(this.deps.workDir, `${spec.jobId}-${spec.attempt}`);
    const out = join(dir, "out");
    const log = { worker: this.workerId, runId: spec.jobId, attempt: spec.attempt };
    let step = spec.checkpoint?.step ?? 0;
    try {
      this.send({ kind: "started", ...this.ref(job), backend: this.deps.backend });
      const problem = checkHyperparameters(spec.hyperparameters);
      if (problem) throw new Error(`${problem.field}: ${problem.message}`);
      const base = localBaseGguf(resolveBaseModel(spec.baseModel));
      const dataset = join(dir, "dataset");
      await downloadPrefix(this.deps.artifacts, spec.datasetPrefix, dataset);
      if (!existsSync(join(dataset, "train.jsonl")))
        throw new Error(`the dataset at ${spec.datasetPrefix} has no train.jsonl`);
      const args = ["--dataset", dataset, "--base", base, "--out", out];
      if (spec.checkpoint) {
        await downloadPrefix(
          this.deps.artifacts,
          spec.checkpoint.prefix,
          join(out, "checkpoints", `step-${spec.checkpoint.step}`),
        );
        args.push("--resume");
      }
      const hyper = { checkpointEvery: this.deps.checkpointEvery ?? 25, ...spec.hyperparameters };
      args.push(...trainerFlags(hyper));
      if (job.stop.signal.aborted) return this.finishStopped(job, step);

      const python = await (this.deps.trainer?.python ?? trainerPython)();
      this.deps.logger.info({ ...log, resumeFrom: spec.checkpoint?.step ?? null }, "training job started");
      let lastSent = 0;
      let uploaded: string | null = spec.checkpoint?.prefix ?? null;
      const exit = await runTrainer(python, {
        args,
        logPath: join(dir, "trainer.log"),
        signal: job.stop.signal,
        kill: job.kill.signal,
        ...(this.deps.trainer?.script ? { script: this.deps.trainer.script } : {}),
        onEvent: (event: TrainerEvent) => {
          if (event.event === "progress") {
            step = Number(event.step);
            const now = Date.now();
            const last = step === Number(event.total_steps);
            if (!last && lastSent !== 0 && now - lastSent < (this.deps.progressIntervalMs ?? 1_000)) return;
            lastSent = now;
            this.send({ kind: "progress", ...this.ref(job), ...progressOf(event) });
          } else if (event.event === "checkpoint" && typeof event.path === "string") {
            const at = Number(event.step);
            const prefix = `${spec.outputPrefix}checkpoints/step-${at}/`;
            const previous = uploaded;
            uploaded = prefix;
            this.send({ kind: "checkpoint", ...this.ref(job), step: at, prefix }, async () => {
              await uploadFolder(this.deps.artifacts, String(event.path), prefix);
              if (previous && previous !== prefix) await this.deps.artifacts.deletePrefix(previous);
            });
          }
        },
      });
      await this.outbox;
      if (job.kill.signal.aborted) return;
      if (exit.last?.event === "stopped") return this.finishStopped(job, Number(exit.last.step ?? step));
      if (exit.code !== 0 || exit.last?.event !== "completed") throw new Error(trainerFailure(exit));

      const adapterKey = `${spec.outputPrefix}adapter.gguf`;
      const metricsKey = `${spec.outputPrefix}metrics.json`;
      const metrics = JSON.parse(await readFile(join(out, "metrics.json"), "utf8")) as Record<
        string,
        unknown
      >;
      await uploadFolder(this.deps.artifacts, join(out, "peft"), `${spec.outputPrefix}peft/`);
      await this.deps.artifacts.put(metricsKey, createReadStream(join(out, "metrics.json")), {
        contentType: "application/json",
      });
      // The adapter last: its presence marks a complete output.
      await this.deps.artifacts.put(adapterKey, createReadStream(join(out, "adapter.gguf")));
      await this.deps.artifacts.deletePrefix(`${spec.outputPrefix}checkpoints/`);
      this.send({ kind: "succeeded", ...this.ref(job), adapterKey, metricsKey, metrics: summaryOf(metrics) });
      this.deps.logger.info(log, "training job succeeded");
    } catch (error) {
      if (job.kill.signal.aborted) return;
      if (job.stop.signal.aborted) return this.finishStopped(job, step);
      const reason = reasonOf(error);
      this.deps.logger.warn({ ...log, reason }, "training job failed");
      this.send({ kind: "failed", ...this.ref(job), reason });
    } finally {
      await this.outbox;
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** A revoked job is someone else's now: nothing to say. A cancel or a shutdown is acknowledged. */
  private finishStopped(job: CurrentJob, step: number): void {
    this.deps.logger.info({ runId: job.spec.jobId, reason: job.reason, step }, "training job stopped");
    if (job.reason !== "revoke") this.send({ kind: "stopped", ...this.ref(job), step });
  }
}

function progressOf(event: TrainerEvent) {
  const optional = (value: unknown) =>
    typeof value === "number" && Number.isFinite(value) ? value : undefined;
  const fields = {
    step: Number(event.step),
    totalSteps: Number(event.total_steps),
    epoch: Number(event.epoch ?? 0),
    loss: optional(event.loss),
    learningRate: optional(event.learning_rate),
    tokensPerSecond: optional(event.tokens_per_second),
    etaSeconds: optional(event.eta_seconds),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as typeof fields;
}

/** metrics.json without the per-step loss list (it is in the read model already and grows with the run). */
function summaryOf(metrics: Record<string, unknown>): Record<string, unknown> {
  const train = metrics.train as Record<string, unknown> | undefined;
  if (!train) return metrics;
  const { losses: _losses, ...rest } = train;
  return { ...metrics, train: rest };
}
