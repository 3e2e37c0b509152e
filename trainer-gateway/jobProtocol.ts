import { z } from "zod";

/**
 * What the trainer gateway and trainer workers say to each other over the bus: the one versioned
 * schema for both sides (a local worker in the platform process and remote GPU workers alike).
 *
 * - `training-assignments` (gateway → workers; every worker reads it in its own consumer group and
 *   acts on messages addressed to it): assign, cancel, revoke.
 * - `training-reports` (workers → gateway): available, started, heartbeat, progress, checkpoint,
 *   succeeded, failed, stopped.
 */
export const assignmentsTopic = "training-assignments";
export const reportsTopic = "training-reports";

const id = z.string().min(1).max(200);
const attempt = z.number().int().positive();
const hyperparameterValue = z.union([z.string(), z.number(), z.boolean()]);

export const trainingJobSpecSchema = z.object({
  jobId: id,
  cloneId: id,
  attempt,
  baseModel: z.string().min(1),
  hyperparameters: z.record(z.string(), hyperparameterValue),
  /** Artifact prefix holding train.jsonl and val.jsonl. */
  datasetPrefix: z.string().min(1),
  /** Where the worker puts its outputs (adapter, metrics, checkpoints). */
  outputPrefix: z.string().min(1),
  /** The newest checkpoint a previous attempt uploaded: the job resumes from it. */
  checkpoint: z.object({ prefix: z.string().min(1), step: z.number().int().nonnegative() }).nullable(),
  /** The parent adapter's PEFT folder: the LoRA starts from its weights. Absent or null: a fresh LoRA. */
  parent: z
    .object({ peftPrefix: z.string().min(1) })
    .nullable()
    .optional(),
});
export type TrainingJobSpec = z.infer<typeof trainingJobSpecSchema>;

const envelope = { schema: z.literal("aiclone.training"), version: z.literal(1) } as const;

export const assignmentMessageSchema = z.discriminatedUnion("kind", [
  z.object({ ...envelope, kind: z.literal("assign"), workerId: id, job: trainingJobSpecSchema }),
  /** The owner cancelled: stop, keep nothing running. */
  z.object({ ...envelope, kind: z.literal("cancel"), workerId: id, jobId: id, attempt }),
  /** The worker lost its lease (the job moved on): stop without reporting a result. */
  z.object({ ...envelope, kind: z.literal("revoke"), workerId: id, jobId: id, attempt }),
]);
export type AssignmentMessage = z.infer<typeof assignmentMessageSchema>;

const jobRef = { workerId: id, jobId: id, attempt } as const;
const number = z.number().finite();

export const reportMessageSchema = z.discriminatedUnion("kind", [
  /** An idle worker asking for work; repeated as its heartbeat while idle. */
  z.object({
    ...envelope,
    kind: z.literal("available"),
    workerId: id,
    backend: z.enum(["local", "remote"]),
    device: z.string().optional(),
  }),
  z.object({ ...envelope, kind: z.literal("started"), ...jobRef, backend: z.enum(["local", "remote"]) }),
  z.object({ ...envelope, kind: z.literal("heartbeat"), ...jobRef }),
  z.object({
    ...envelope,
    kind: z.literal("progress"),
    ...jobRef,
    step: z.number().int().nonnegative(),
    totalSteps: z.number().int().nonnegative(),
    epoch: number.nonnegative(),
    loss: number.optional(),
    learningRate: number.optional(),
    tokensPerSecond: number.optional(),
    etaSeconds: number.optional(),
  }),
  z.object({
    ...envelope,
    kind: z.literal("checkpoint"),
    ...jobRef,
    step: z.number().int().nonnegative(),
    prefix: z.string().min(1),
  }),
  z.object({
    ...envelope,
    kind: z.literal("succeeded"),
    ...jobRef,
    adapterKey: z.string().min(1),
    metricsKey: z.string().min(1),
    metrics: z.record(z.string(), z.unknown()),
  }),
  z.object({ ...envelope, kind: z.literal("failed"), ...jobRef, reason: z.string().min(1) }),
  /** The worker stopped the job before its end (a cancel, a revoke, or its own shutdown), after checkpointing. */
  z.object({ ...envelope, kind: z.literal("stopped"), ...jobRef, step: z.number().int().nonnegative() }),
]);
export type ReportMessage = z.infer<typeof reportMessageSchema>;

type Body<T> = T extends unknown ? Omit<T, "schema" | "version"> : never;
export type AssignmentBody = Body<AssignmentMessage>;
export type ReportBody = Body<ReportMessage>;

export const assignment = (body: AssignmentBody): AssignmentMessage =>
  ({ schema: "aiclone.training", version: 1, ...body }) as AssignmentMessage;
export const report = (body: ReportBody): ReportMessage =>
  ({ schema: "aiclone.training", version: 1, ...body }) as ReportMessage;

function parseWith<T>(schema: z.ZodType<T>, what: string, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new Error(`invalid ${what} at ${issue?.path.join(".") || "<root>"}: ${issue?.message}`);
}

/** Throws an error naming the offending field. */
export const parseAssignment = (value: unknown): AssignmentMessage =>
  parseWith(assignmentMessageSchema, "training assignment", value);
export const parseReport = (value: unknown): ReportMessage =>
  parseWith(reportMessageSchema, "training report", value);
