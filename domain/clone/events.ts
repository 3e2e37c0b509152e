import { z } from "zod";

/**
 * The clone lifecycle's events, one zod schema each: events cross process boundaries (bus, workers)
 * and are validated on the way in, so this file is their single definition.
 */
const cloneId = z.string().min(1);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const count = z.number().int().nonnegative();
const version = z.number().int().positive();
const hyperparameters = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/** What the pipeline reports about a built dataset; shown on the clone and in the timeline. */
export const datasetStatsSchema = z.object({
  conversations: count,
  samples: count,
  ownerMessages: count,
  droppedMessages: count,
  trainSamples: count.optional(),
  validationSamples: count.optional(),
  /** The owner's corrections the dataset includes as samples (absent: built before corrections existed). */
  corrections: count.optional(),
});
export type DatasetStats = z.infer<typeof datasetStatsSchema>;

/** What the pipeline saw in an uploaded archive, for the owner to review before building a dataset. */
export const sourceInspectionSchema = z.object({
  formats: z.array(z.string()),
  messages: count,
  chats: z.array(
    z.object({ id: z.string(), name: z.string().nullable(), type: z.string(), messages: count }),
  ),
  participants: z.array(z.object({ id: z.string(), name: z.string().nullable(), messages: count })),
  firstMessageAt: z.string().nullable(),
  lastMessageAt: z.string().nullable(),
  ownerCandidate: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  skipped: count,
  /** Why they were skipped: a reason code (`nestedArchive`, …) or a reader's words, how many, and where
   * (the uploaded file's own names, never a server path). Absent in inspections recorded before it. */
  skippedReasons: z.array(z.object({ reason: z.string(), count, where: z.array(z.string()) })).optional(),
  /** Set when the archive could not be read at all; the rest is then empty. */
  error: z.string().optional(),
});
export type SourceInspection = z.infer<typeof sourceInspectionSchema>;

/** An inspection that found nothing: what an unreadable export, or a deleted clone's, reads as. */
export const emptySourceInspection = (): SourceInspection => ({
  formats: [],
  messages: 0,
  chats: [],
  participants: [],
  firstMessageAt: null,
  lastMessageAt: null,
  ownerCandidate: null,
  skipped: 0,
});

/** The choices of one dataset build: who the owner is, what to leave out, how to cut sessions. */
export const datasetRequestSchema = z.object({
  /** Name or id of the person being cloned; null: the export names them (Telegram's account). */
  owner: z.string().nullable(),
  /**
   * Every identity of the person across the exports (a Telegram account, a WhatsApp name, a Discord id):
   * all of them are the owner. `owner` is the first; absent in requests made before several were allowed.
   */
  owners: z.array(z.string()).optional(),
  /**
   * The owner confirmed that the chosen identities are them although the exports were made by another
   * account (consent: a clone is of the person who uploads); set only when that confirmation was needed.
   */
  ownerConfirmed: z.literal(true).optional(),
  includeChats: z.array(z.string()),
  excludeChats: z.array(z.string()),
  includeContacts: z.array(z.string()),
  excludeContacts: z.array(z.string()),
  sessionGapMinutes: z.number().int().positive().optional(),
  valFraction: z.number().min(0).max(0.5).optional(),
  pseudonymizeContacts: z.boolean().optional(),
  ocr: z.boolean().optional(),
  /** The loss weight of the owner's corrections in this dataset (the platform's default when absent). */
  correctionWeight: z.number().positive().max(10).optional(),
});
export type DatasetRequestSpec = z.infer<typeof datasetRequestSchema>;

/** A source a dataset is built from, as DatasetRequested carries it: its stored archive and file name. */
export const requestedSourceSchema = z.object({
  sourceId: z.string().min(1),
  /** The name it was uploaded under (readers recognise loose `.json`/`.txt` files by name): personal. */
  fileName: z.string(),
  artifactKey: z.string().min(1),
});
export type RequestedSource = z.infer<typeof requestedSourceSchema>;

/**
 * Where a training run comes from: the sources its dataset version was built from, the owner's corrections
 * it includes (a count; 0 until corrections exist) and the adapter it continues from (null: a fresh LoRA).
 * The dataset version and the base model are TrainingRequested's own fields.
 */
export const trainingLineageSchema = z.object({
  sourceIds: z.array(z.string()),
  correctionsIncluded: count,
  parent: z.object({ adapterVersion: version, artifactKey: z.string().min(1) }).nullable(),
});
export type TrainingLineage = z.infer<typeof trainingLineageSchema>;

/** The two candidates of a blind-test trial, shown in this order. */
export const blindCandidateSchema = z.enum(["a", "b"]);
export type BlindCandidate = z.infer<typeof blindCandidateSchema>;
/** What the owner answers: the candidate they think they wrote, or that they cannot tell. */
export const blindChoiceSchema = z.enum(["a", "b", "cant_tell"]);
export type BlindChoice = z.infer<typeof blindChoiceSchema>;
export type BlindOutcome = "real" | "clone" | "cant_tell";

/** A turn of the conversation a correction answered (the context before the clone's draft). */
export const correctionTurnSchema = z.object({
  role: z.enum(["user", "assistant"]),
  content: z.string(),
});
export type CorrectionTurn = z.infer<typeof correctionTurnSchema>;

export const cloneEventSchemas = {
  CloneCreated: z.object({ cloneId, ownerId: z.string().min(1), name: z.string() }),
  CloneRenamed: z.object({ cloneId, name: z.string() }),
  PersonaConfigured: z.object({
    cloneId,
    displayName: z.string(),
    systemPrompt: z.string(),
    language: z.string(),
  }),
  SourceUploaded: z.object({
    cloneId,
    sourceId: z.string().min(1),
    fileName: z.string(),
    size: count,
    sha256,
    artifactKey: z.string().min(1),
    contentType: z.string().optional(),
  }),
  SourceInspected: z.object({ cloneId, sourceId: z.string().min(1), inspection: sourceInspectionSchema }),
  DatasetRequested: z.object({
    cloneId,
    requestId: z.string().min(1),
    sourceIds: z.array(z.string()),
    spec: datasetRequestSchema,
    /**
     * Where each source's archive is stored and under which name it was uploaded, so the pipeline needs
     * nothing else to build. Absent in events recorded before it was added (readers then look the sources
     * up in the stream's SourceUploaded events).
     */
    sources: z.array(requestedSourceSchema).optional(),
    /**
     * The owner's corrections recorded before the request: the build adds them as samples (their words are
     * in the stream's CorrectionRecorded events). Absent in events recorded before corrections existed.
     */
    correctionIds: z.array(z.string()).optional(),
  }),
  DatasetBuilt: z.object({
    cloneId,
    requestId: z.string().optional(),
    version,
    sourceIds: z.array(z.string()),
    artifactKey: z.string().min(1),
    stats: datasetStatsSchema,
  }),
  DatasetFailed: z.object({ cloneId, requestId: z.string().optional(), reason: z.string() }),
  TrainingRequested: z.object({
    cloneId,
    runId: z.string().min(1),
    datasetVersion: version,
    /**
     * The artifact prefix of that dataset version (its DatasetBuilt's artifactKey), so the trainer gateway
     * needs nothing else. Absent in events recorded before it was added (readers then look it up).
     */
    datasetArtifactKey: z.string().min(1).optional(),
    baseModel: z.string(),
    hyperparameters,
    /** Absent in events recorded before lineage was kept (readers then know the dataset version only). */
    lineage: trainingLineageSchema.optional(),
  }),
  TrainingStarted: z.object({
    cloneId,
    runId: z.string(),
    backend: z.string(),
    worker: z.string().optional(),
    attempt: z.number().int().positive().optional(),
  }),
  TrainingProgressed: z.object({
    cloneId,
    runId: z.string(),
    step: count,
    totalSteps: count,
    epoch: z.number().nonnegative(),
    loss: z.number().optional(),
    learningRate: z.number().optional(),
    tokensPerSecond: z.number().optional(),
    etaSeconds: z.number().optional(),
  }),
  TrainingCompleted: z.object({
    cloneId,
    runId: z.string(),
    adapterVersion: version,
    artifactKey: z.string().min(1),
    metrics: z.record(z.string(), z.unknown()),
  }),
  TrainingFailed: z.object({ cloneId, runId: z.string(), reason: z.string() }),
  TrainingCancelled: z.object({ cloneId, runId: z.string(), reason: z.string().optional() }),
  ClonePublished: z.object({
    cloneId,
    version,
    adapterVersion: version,
    artifactKey: z.string().optional(),
    sha256: sha256.optional(),
    size: count.optional(),
  }),
  /** The owner went back (or forward) to an earlier bundle: `latest` installs it until the next publish. */
  PublishedVersionSelected: z.object({ cloneId, version, adapterVersion: version }),
  InstallTokenCreated: z.object({
    cloneId,
    tokenId: z.string().min(1),
    name: z.string(),
    hash: sha256,
    prefix: z.string().min(1),
    expiresAt: z.iso.datetime(),
  }),
  InstallTokenRevoked: z.object({ cloneId, tokenId: z.string().min(1) }),
  /**
   * A blind-test trial: a held-out sample of the validation split (`val.jsonl`) of the dataset the adapter
   * version was trained on, its real reply and the clone's shown as candidates "a" and "b". Which one is
   * real stays on the server until the owner answers.
   */
  BlindTrialDrawn: z.object({
    cloneId,
    trialId: z.string().min(1),
    adapterVersion: version,
    datasetVersion: version.optional(),
    /** The sample's line in val.jsonl (0-based). */
    sampleIndex: count,
    realCandidate: blindCandidateSchema,
  }),
  /** The owner's answer: which candidate they wrote, or that they cannot tell; `outcome` scores it. */
  BlindTrialAnswered: z.object({
    cloneId,
    trialId: z.string().min(1),
    adapterVersion: version,
    choice: blindChoiceSchema,
    outcome: z.enum(["real", "clone", "cant_tell"]),
    /** Which candidate was the owner's: told once answered. */
    realCandidate: blindCandidateSchema,
  }),
  /**
   * The owner rewrote a clone's reply into what they would really say (in the preview, or in an installed
   * clone and uploaded as a corrections file). The context, the draft and the owner's text are personal.
   */
  CorrectionRecorded: z.object({
    cloneId,
    correctionId: z.string().min(1),
    /** When the owner corrected the draft (ISO, UTC). */
    at: z.iso.datetime(),
    /** Where: "preview", "telegram", "web", … */
    channel: z.string().min(1),
    /** The adapter version that drafted the reply, when known. */
    adapterVersion: version.nullable(),
    /** The turns before the draft, oldest first, the last one the user's. */
    context: z.array(correctionTurnSchema),
    draft: z.string(),
    ownerText: z.string(),
  }),
  RawDataPurged: z.object({ cloneId, sourceIds: z.array(z.string()) }),
  CloneDeleted: z.object({ cloneId }),
} as const;

type Schemas = typeof cloneEventSchemas;
export type CloneEventType = keyof Schemas;
export type CloneEventData<T extends CloneEventType> = z.infer<Schemas[T]>;
export type CloneEvent = { [T in CloneEventType]: { type: T; data: CloneEventData<T> } }[CloneEventType];

/**
 * The clone's events by part of the lifecycle: the one list the state evolution (domain/clone/evolve/) and the
 * read-model projection (projections/cloneView/) split their handlers by.
 */
export type CloneEventsOf = {
  existence: "CloneCreated" | "CloneDeleted";
  persona: "PersonaConfigured" | "CloneRenamed";
  sources: "SourceUploaded" | "SourceInspected" | "RawDataPurged";
  dataset: "DatasetRequested" | "DatasetBuilt" | "DatasetFailed";
  training:
    | "TrainingRequested"
    | "TrainingStarted"
    | "TrainingProgressed"
    | "TrainingCompleted"
    | "TrainingFailed"
    | "TrainingCancelled";
  publishing: "ClonePublished" | "PublishedVersionSelected";
  tokens: "InstallTokenCreated" | "InstallTokenRevoked";
  blindTest: "BlindTrialDrawn" | "BlindTrialAnswered";
  corrections: "CorrectionRecorded";
};

export const isCloneEventType = (type: string): type is CloneEventType =>
  Object.hasOwn(cloneEventSchemas, type);

/** Validates an event read from the store or the bus; throws a ZodError naming the bad field. */
export function parseCloneEvent(type: string, data: unknown): CloneEvent {
  if (!isCloneEventType(type)) throw new Error(`unknown clone event type: ${type}`);
  return { type, data: cloneEventSchemas[type].parse(data) } as CloneEvent;
}
