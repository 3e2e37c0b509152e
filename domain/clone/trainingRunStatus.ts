/**
 * The one vocabulary for where a training run stands, used by the decider's state, the clone read model
 * (TrainingRunView), the API mapping and the trainer gateway's job record:
 *
 *   queued → running → completed | failed | cancelled
 *
 * (`running` → `queued` again when a worker loses its lease and the job waits for another one.)
 * GraphQL spells the same five as its TrainingRunStatus enum (QUEUED … CANCELLED), mapped in api/types.
 */
export const trainingRunStatuses = ["queued", "running", "completed", "failed", "cancelled"] as const;
export type TrainingRunStatus = (typeof trainingRunStatuses)[number];

/** Words documents written before the one vocabulary may hold: the decider's `requested`, the gateway's
 * `succeeded`, and the read model's upper-case words. */
export type LegacyTrainingRunStatus =
  | "requested"
  | "succeeded"
  | "QUEUED"
  | "RUNNING"
  | "COMPLETED"
  | "FAILED"
  | "CANCELLED";

/** A status as stored: documents written before the one vocabulary may hold an old word. */
export type StoredTrainingRunStatus = TrainingRunStatus | LegacyTrainingRunStatus;

const legacy: Record<LegacyTrainingRunStatus, TrainingRunStatus> = {
  requested: "queued",
  succeeded: "completed",
  QUEUED: "queued",
  RUNNING: "running",
  COMPLETED: "completed",
  FAILED: "failed",
  CANCELLED: "cancelled",
};

export const isTrainingRunStatus = (value: string): value is TrainingRunStatus =>
  (trainingRunStatuses as readonly string[]).includes(value);

/** Reads a stored status back, old words included; throws on anything else, naming it. */
export function trainingRunStatusOf(stored: string): TrainingRunStatus {
  if (isTrainingRunStatus(stored)) return stored;
  if (Object.hasOwn(legacy, stored)) return legacy[stored as LegacyTrainingRunStatus];
  throw new Error(`unknown training run status: ${stored}`);
}

/** Queued or running: the run still holds the clone's one training slot (and its checkpoints). */
export const isTrainingRunActive = (status: TrainingRunStatus): boolean =>
  status === "queued" || status === "running";

/** Completed, failed or cancelled: nothing more happens to the run. */
export const isTrainingRunFinished = (status: TrainingRunStatus): boolean => !isTrainingRunActive(status);
