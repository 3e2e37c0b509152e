import {
  isTrainingRunFinished,
  type StoredTrainingRunStatus,
  type TrainingRunStatus,
  trainingRunStatusOf,
} from "../domain/index.js";
import type { Document } from "../infra/docstore/documentStore.js";
import type { TrainingJobSpec } from "./jobProtocol.js";

/** A job's state is its run's status, in the one vocabulary (domain/clone/trainingRunStatus.ts). */
export type JobState = TrainingRunStatus;

/** The gateway's record of one training job (its id is the run id); kept in the document store. */
export interface TrainingJob extends Document {
  _id: string;
  cloneId: string;
  state: JobState;
  baseModel: string;
  hyperparameters: Record<string, string | number | boolean>;
  datasetPrefix: string;
  outputPrefix: string;
  /** Attempts handed to a worker so far; the current one is this number. */
  attempt: number;
  workerId: string | null;
  backend: "local" | "remote" | null;
  /** Epoch ms after which the worker is presumed lost (no heartbeat). */
  leaseExpiresAt: number | null;
  checkpoint: { prefix: string; step: number } | null;
  /** The parent adapter's PEFT folder (a continued run); absent or null: a fresh LoRA. */
  parentPeftPrefix?: string | null;
  /** Whether TrainingStarted was recorded for the current attempt. */
  startRecorded: boolean;
  lastStep: number;
  /** The TrainingRequested event, so the answers carry it as their cause. */
  causationId: string;
  correlationId: string | null;
  reason: string | null;
  createdAt: number;
  updatedAt: number;
}

/**
 * A job as read from the store: records written before the one vocabulary say `succeeded` where it now
 * says `completed`. Every read of a job goes through here.
 */
export const fromStored = (job: TrainingJob): TrainingJob => ({
  ...job,
  state: trainingRunStatusOf(job.state as StoredTrainingRunStatus),
});

export const isFinished = (job: TrainingJob): boolean => isTrainingRunFinished(job.state);

/** Whether a worker's report belongs to the job's current attempt (anything else is a zombie's). */
export const isCurrent = (job: TrainingJob, workerId: string, attempt: number): boolean =>
  job.state === "running" && job.workerId === workerId && job.attempt === attempt;

export function assignTo(job: TrainingJob, workerId: string, now: number, leaseMs: number): TrainingJob {
  return {
    ...job,
    state: "running",
    attempt: job.attempt + 1,
    workerId,
    backend: null,
    leaseExpiresAt: now + leaseMs,
    startRecorded: false,
    updatedAt: now,
  };
}

export const renewLease = (job: TrainingJob, now: number, leaseMs: number): TrainingJob => ({
  ...job,
  leaseExpiresAt: now + leaseMs,
  updatedAt: now,
});

/** The worker went silent: back to the queue, to resume on the next free worker from its checkpoint. */
export const requeue = (job: TrainingJob, now: number): TrainingJob => ({
  ...job,
  state: "queued",
  workerId: null,
  leaseExpiresAt: null,
  updatedAt: now,
});

export const finish = (
  job: TrainingJob,
  state: Exclude<JobState, "queued" | "running">,
  now: number,
  reason: string | null = null,
): TrainingJob => ({ ...job, state, leaseExpiresAt: null, reason, updatedAt: now });

export function specOf(job: TrainingJob): TrainingJobSpec {
  return {
    jobId: job._id,
    cloneId: job.cloneId,
    attempt: job.attempt,
    baseModel: job.baseModel,
    hyperparameters: job.hyperparameters,
    datasetPrefix: job.datasetPrefix,
    outputPrefix: job.outputPrefix,
    checkpoint: job.checkpoint,
    parent: job.parentPeftPrefix ? { peftPrefix: job.parentPeftPrefix } : null,
  };
}
