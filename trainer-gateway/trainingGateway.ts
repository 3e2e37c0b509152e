import {
  type Actor,
  type CloneCommand,
  cloneCommandRoute,
  isCloneEventType,
  parseCloneEvent,
  principalOf,
  refusedWith,
  trainingPrefix,
} from "../domain/index.js";
import type { DeliveredMessage, EventBus, Subscription } from "../infra/bus/eventBus.js";
import { parseEnvelope } from "../infra/bus/eventEnvelope.js";
import { KeyedMutex } from "../infra/concurrency/keyedMutex.js";
import type { Collection } from "../infra/docstore/documentStore.js";
import type { CommandHandler } from "../infra/eventsourcing/commandHandler.js";
import { CommandSender } from "../infra/eventsourcing/commandSender.js";
import type { EventStore } from "../infra/eventstore/eventStore.js";
import { datasetPrefixOf, parentPeftPrefixOf } from "./datasetOfRun.js";
import {
  type AssignmentBody,
  assignment,
  assignmentsTopic,
  parseReport,
  type ReportMessage,
  reportsTopic,
} from "./jobProtocol.js";
import {
  assignTo,
  finish,
  fromStored,
  isCurrent,
  isFinished,
  renewLease,
  requeue,
  specOf,
  type TrainingJob,
} from "./trainingJob.js";

export interface GatewayLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface TrainingGatewayDeps {
  bus: EventBus;
  store: EventStore;
  commands: CommandHandler;
  jobs: Collection<TrainingJob>;
  logger: GatewayLogger;
  /** A worker silent for this long loses its job, which resumes elsewhere from its last checkpoint. */
  leaseMs?: number;
  /** How often leases are checked. */
  sweepIntervalMs?: number;
  /** Workers a job may lose before it fails. */
  maxAttempts?: number;
  now?: () => number;
}

interface KnownWorker {
  backend: "local" | "remote";
  device: string | null;
  lastSeen: number;
}

const actor: Actor = { kind: "system", name: "trainer-gateway" };
export const gatewayGroup = "trainer-gateway";

/**
 * Turns TrainingRequested into jobs and hands them to trainer workers: a local worker in the platform
 * process, or remote GPU workers that read the same bus topic. Workers hold a job under a lease that
 * their heartbeats renew; a silent worker loses it and the job goes back to the queue with its last
 * uploaded checkpoint. Progress and results come back as reports and go into the clone's stream as
 * commands. State lives in the document store, so a restarted gateway carries on.
 */
export class TrainingGateway {
  private readonly subscriptions: Subscription[] = [];
  private readonly workers = new Map<string, KnownWorker>();
  private readonly mutex = new KeyedMutex();
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly now: () => number;
  private sweeper: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private stopped = false;
  /** Answers go to the clone's stream; a clone deleted (NOT_FOUND) or a run cancelled (CONFLICT) meanwhile refuses them. */
  private readonly sender = new CommandSender({
    commands: this.deps.commands,
    ...cloneCommandRoute,
    principal: principalOf(actor),
    expected: refusedWith("NOT_FOUND", "CONFLICT"),
  });

  constructor(private readonly deps: TrainingGatewayDeps) {
    this.leaseMs = deps.leaseMs ?? 30_000;
    this.maxAttempts = deps.maxAttempts ?? 3;
    this.now = deps.now ?? Date.now;
  }

  async start(): Promise<void> {
    await this.deps.jobs.ensureIndex(["state"]);
    await this.deps.jobs.ensureIndex(["cloneId"]);
    this.subscriptions.push(
      await this.deps.bus.subscribe("clone-events", { group: gatewayGroup, maxAttempts: 5 }, (m) =>
        this.onCloneEvent(m),
      ),
      await this.deps.bus.subscribe(reportsTopic, { group: gatewayGroup, maxAttempts: 5 }, (m) =>
        this.onReport(m),
      ),
    );
    const interval = this.deps.sweepIntervalMs ?? Math.max(250, Math.floor(this.leaseMs / 4));
    this.sweeper = setInterval(() => {
      this.sweeping ??= this.sweep()
        .catch((error) => this.deps.logger.error({ error: String(error) }, "lease sweep failed"))
        .finally(() => {
          this.sweeping = undefined;
        });
    }, interval);
    this.sweeper.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweeper);
    await this.sweeping;
    for (const subscription of this.subscriptions.splice(0)) await subscription.close();
  }

  /** The stored job, its state read in the one vocabulary (older records may say `succeeded`). */
  private async job(id: string): Promise<TrainingJob | null> {
    const stored = await this.deps.jobs.get(id);
    return stored ? fromStored(stored) : null;
  }

  /** Workers heard from within the lease, for status pages and tests. */
  knownWorkers(): { workerId: string; backend: string; device: string | null }[] {
    const now = this.now();
    return [...this.workers]
      .filter(([, w]) => now - w.lastSeen <= this.leaseMs)
      .map(([workerId, w]) => ({ workerId, backend: w.backend, device: w.device }));
  }

  private async onCloneEvent(message: DeliveredMessage): Promise<void> {
    const recorded = parseEnvelope(message.value);
    if (!isCloneEventType(recorded.type)) return;
    const event = parseCloneEvent(recorded.type, recorded.data);
    if (event.type === "TrainingRequested") {
      const { runId, cloneId } = event.data;
      await this.mutex.run(runId, async () => {
        if (await this.job(runId)) return; // redelivered
        const now = this.now();
        await this.deps.jobs.insert({
          _id: runId,
          cloneId,
          state: "queued",
          baseModel: event.data.baseModel,
          hyperparameters: event.data.hyperparameters,
          datasetPrefix: await datasetPrefixOf(this.deps.store, event.data),
          outputPrefix: trainingPrefix(cloneId, runId),
          attempt: 0,
          workerId: null,
          backend: null,
          leaseExpiresAt: null,
          checkpoint: null,
          parentPeftPrefix: parentPeftPrefixOf(event.data),
          startRecorded: false,
          lastStep: 0,
          causationId: recorded.id,
          correlationId:
            typeof recorded.metadata.correlationId === "string" ? recorded.metadata.correlationId : null,
          reason: null,
          createdAt: now,
          updatedAt: now,
        });
        this.deps.logger.info({ cloneId, runId }, "training job queued");
      });
      await this.dispatch();
    } else if (event.type === "TrainingCancelled") {
      await this.cancelJob(event.data.runId, "cancelled by the owner");
    } else if (event.type === "CloneDeleted") {
      for (const job of await this.deps.jobs.find({ cloneId: event.data.cloneId }))
        await this.cancelJob(job._id, "the clone was deleted");
      // Nothing of a deleted clone stays; a worker's late report for a job that is gone is ignored.
      await this.deps.jobs.deleteMany({ cloneId: event.data.cloneId });
    }
  }

  private async cancelJob(jobId: string, reason: string): Promise<void> {
    await this.mutex.run(jobId, async () => {
      const job = await this.job(jobId);
      if (!job || isFinished(job)) return;
      await this.deps.jobs.put(finish(job, "cancelled", this.now(), reason));
      if (job.state === "running" && job.workerId)
        await this.send({ kind: "cancel", workerId: job.workerId, jobId, attempt: job.attempt });
      this.deps.logger.info({ cloneId: job.cloneId, runId: jobId, reason }, "training job cancelled");
    });
  }

  private async onReport(message: DeliveredMessage): Promise<void> {
    const report = parseReport(message.value);
    const now = this.now();
    if (report.kind === "available") {
      this.workers.set(report.workerId, {
        backend: report.backend,
        device: report.device ?? null,
        lastSeen: now,
      });
      await this.dispatch();
      return;
    }
    const known = this.workers.get(report.workerId);
    if (known) known.lastSeen = now;
    await this.mutex.run(report.jobId, async () => {
      const job = await this.job(report.jobId);
      if (!job) return;
      if (!isCurrent(job, report.workerId, report.attempt)) {
        // A worker that lost its lease (or a cancelled job's worker that missed the cancel) must stop.
        if (report.kind !== "stopped" && report.kind !== "failed" && report.kind !== "succeeded") {
          const kind = job.state === "cancelled" ? "cancel" : "revoke";
          await this.send({ kind, workerId: report.workerId, jobId: job._id, attempt: report.attempt });
        }
        return;
      }
      await this.applyReport(job, report, now);
    });
    if (report.kind === "succeeded" || report.kind === "failed" || report.kind === "stopped")
      await this.dispatch();
  }

  private async applyReport(
    job: TrainingJob,
    report: Exclude<ReportMessage, { kind: "available" }>,
    now: number,
  ): Promise<void> {
    let next = renewLease(job, now, this.leaseMs);
    switch (report.kind) {
      case "started":
        next = { ...next, backend: report.backend };
        break;
      case "heartbeat":
        break;
      case "progress": {
        next = await this.recordStart(next, report.workerId);
        const {
          kind: _k,
          workerId: _w,
          jobId: _j,
          attempt: _a,
          schema: _s,
          version: _v,
          ...progress
        } = report;
        await this.answer(next, {
          type: "ReportTrainingProgress",
          cloneId: job.cloneId,
          actor,
          runId: job._id,
          ...progress,
        });
        next = { ...next, lastStep: Math.max(next.lastStep, report.step) };
        break;
      }
      case "checkpoint":
        next = { ...next, checkpoint: { prefix: report.prefix, step: report.step } };
        break;
      case "succeeded":
        next = await this.recordStart(next, report.workerId);
        await this.answer(next, {
          type: "CompleteTraining",
          cloneId: job.cloneId,
          actor,
          runId: job._id,
          artifactKey: report.adapterKey,
          metrics: { ...report.metrics, metricsKey: report.metricsKey },
        });
        next = finish(next, "completed", now);
        this.deps.logger.info(
          { cloneId: job.cloneId, runId: job._id, worker: report.workerId },
          "training completed",
        );
        break;
      case "failed":
        await this.answer(next, {
          type: "FailTraining",
          cloneId: job.cloneId,
          actor,
          runId: job._id,
          reason: report.reason,
        });
        next = finish(next, "failed", now, report.reason);
        this.deps.logger.warn(
          { cloneId: job.cloneId, runId: job._id, reason: report.reason },
          "training failed",
        );
        break;
      case "stopped":
        // The worker stopped on its own (it is shutting down): resume elsewhere at once.
        next = requeue(next, now);
        this.deps.logger.info(
          { runId: job._id, worker: report.workerId, step: report.step },
          "worker gave the job back",
        );
        break;
    }
    await this.deps.jobs.put(next);
  }

  /** TrainingStarted for this attempt, once (before its first progress). */
  private async recordStart(job: TrainingJob, workerId: string): Promise<TrainingJob> {
    if (job.startRecorded) return job;
    await this.answer(job, {
      type: "StartTraining",
      cloneId: job.cloneId,
      actor,
      runId: job._id,
      backend: job.backend ?? "local",
      worker: workerId,
      attempt: job.attempt,
    });
    return { ...job, startRecorded: true };
  }

  /** Expired leases go back to the queue (or fail past maxAttempts); then free workers get queued jobs. */
  async sweep(): Promise<void> {
    const now = this.now();
    for (const [id, worker] of this.workers)
      if (now - worker.lastSeen > 3 * this.leaseMs) this.workers.delete(id);
    for (const stale of await this.deps.jobs.find({ state: "running", leaseExpiresAt: { $lt: now } })) {
      await this.mutex.run(stale._id, async () => {
        const job = await this.job(stale._id);
        if (job?.state !== "running" || (job.leaseExpiresAt ?? 0) >= now) return;
        const lost = job.workerId;
        if (lost) await this.send({ kind: "revoke", workerId: lost, jobId: job._id, attempt: job.attempt });
        if (job.attempt >= this.maxAttempts) {
          const reason = `lost ${job.attempt} trainer workers in a row (no heartbeat for ${this.leaseMs} ms each)`;
          await this.answer(job, {
            type: "FailTraining",
            cloneId: job.cloneId,
            actor,
            runId: job._id,
            reason,
          });
          await this.deps.jobs.put(finish(job, "failed", now, reason));
          return;
        }
        await this.deps.jobs.put(requeue(job, now));
        this.deps.logger.warn(
          { runId: job._id, worker: lost, attempt: job.attempt, checkpoint: job.checkpoint?.step ?? null },
          "trainer worker lost its lease; the job goes back to the queue",
        );
      });
    }
    await this.dispatch();
  }

  /** Pairs queued jobs (oldest first) with idle workers heard from within the lease. */
  async dispatch(): Promise<void> {
    if (this.stopped) return;
    await this.mutex.run("dispatch", async () => {
      const queued = await this.deps.jobs.find(
        { state: "queued" },
        { sort: { field: "createdAt", direction: "asc" } },
      );
      if (queued.length === 0) return;
      const now = this.now();
      const busy = new Set((await this.deps.jobs.find({ state: "running" })).map((j) => j.workerId));
      const idle = [...this.workers]
        .filter(([id, w]) => !busy.has(id) && now - w.lastSeen <= this.leaseMs)
        .sort(([, a], [, b]) => b.lastSeen - a.lastSeen)
        .map(([id]) => id);
      for (const job of queued) {
        const workerId = idle.shift();
        if (!workerId) return;
        const assigned = await this.mutex.run(job._id, async () => {
          const fresh = await this.job(job._id);
          if (fresh?.state !== "queued") return null;
          const next = assignTo(fresh, workerId, now, this.leaseMs);
          await this.deps.jobs.put(next);
          return next;
        });
        if (!assigned) {
          idle.unshift(workerId);
          continue;
        }
        await this.send({ kind: "assign", workerId, job: specOf(assigned) });
        this.deps.logger.info(
          {
            runId: job._id,
            worker: workerId,
            attempt: assigned.attempt,
            resumeFrom: assigned.checkpoint?.step ?? null,
          },
          "training job assigned",
        );
      }
    });
  }

  private send(body: AssignmentBody): Promise<void> {
    return this.deps.bus.publish(assignmentsTopic, [{ key: body.workerId, value: assignment(body) }]);
  }

  private async answer(job: TrainingJob, command: CloneCommand): Promise<void> {
    const sent = await this.sender.send(command, {
      causationId: job.causationId,
      correlationId: job.correlationId,
    });
    // The clone was deleted, or the run was cancelled meanwhile: the answer has nowhere to go.
    if (!sent.recorded)
      this.deps.logger.info(
        { runId: job._id, command: command.type, reason: sent.refusal.message },
        "answer dropped",
      );
  }
}
