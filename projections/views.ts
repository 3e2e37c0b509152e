import type {
  CloneStatus,
  DatasetRequestSpec,
  DatasetStats,
  SourceInspection,
  StoredTrainingRunStatus,
} from "../domain/index.js";

/** Read-model documents. `_rev` is the last applied revision of the source stream: the idempotency guard. */
export interface SourceView {
  id: string;
  fileName: string;
  size: number;
  sha256: string;
  contentType: string | null;
  uploadedAt: string;
  purged: boolean;
  inspection: SourceInspection | null;
}

export interface DatasetRequestView {
  requestId: string;
  status: "BUILDING" | "BUILT" | "FAILED";
  sourceIds: string[];
  spec: DatasetRequestSpec;
  requestedAt: string;
  finishedAt: string | null;
}

export interface DatasetView {
  version: number;
  sourceIds: string[];
  artifactKey: string;
  builtAt: string;
  stats: DatasetStats;
}

export interface TrainingProgressView {
  step: number;
  totalSteps: number;
  epoch: number;
  loss: number | null;
  learningRate: number | null;
  tokensPerSecond: number | null;
  etaSeconds: number | null;
  at: string;
}

export interface LossPoint {
  step: number;
  loss: number;
}

export interface TrainingRunView {
  id: string;
  /**
   * Written in the one vocabulary (domain/clone/trainingRunStatus.ts); documents projected before it hold
   * the old upper-case words, so read it through trainingRunStatusOf (or rebuild the read models).
   */
  status: StoredTrainingRunStatus;
  datasetVersion: number;
  baseModel: string;
  hyperparameters: Record<string, string | number | boolean>;
  backend: string | null;
  /** The worker running it and its attempt (above 1 when it resumed elsewhere after a lost lease). */
  worker: string | null;
  attempt: number;
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  progress: TrainingProgressView | null;
  /** Loss per reported step for the dashboard's chart; the oldest points are thinned past a bound. */
  lossHistory: LossPoint[];
  adapterVersion: number | null;
  artifactKey: string | null;
  metrics: Record<string, unknown> | null;
  error: string | null;
  /** Where the run comes from; absent or null for runs requested before lineage was recorded. */
  lineage?: TrainingLineageView | null;
}

/** A run's lineage (its dataset version and base model are the run's own fields). */
export interface TrainingLineageView {
  sourceIds: string[];
  correctionsIncluded: number;
  /** The adapter version the run continued from; null: a fresh LoRA. */
  parentAdapterVersion: number | null;
}

export interface InstallTokenView {
  id: string;
  name: string;
  /** The token's first characters, to tell tokens apart; the secret is never stored. */
  prefix: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

export interface PublishedVersionView {
  version: number;
  adapterVersion: number;
  publishedAt: string;
  artifactKey: string | null;
  sha256: string | null;
  size: number | null;
}

/** The blind test's answers for one adapter version (the score is blindTestScore of these counts). */
export interface BlindTestTallyView {
  adapterVersion: number;
  realPicked: number;
  clonePicked: number;
  cantTell: number;
  /** Trials drawn for this version, answered or not. */
  drawn: number;
}

/** The owner's corrections of a clone, counted: all recorded, and those the newest built dataset includes. */
export interface CorrectionsCountView {
  total: number;
  inNewestDataset: number;
}

/**
 * One correction as the dashboard lists it (collection `corrections`, one document per correction, sealed
 * under the clone's key but for its ids and time): the owner's words, the draft and the turns before it.
 */
export interface CorrectionView {
  /** `<cloneId>/<correctionId>`. */
  _id: string;
  cloneId: string;
  correctionId: string;
  at: string;
  /** The clone stream's revision that recorded it. */
  _rev: number;
  channel: string;
  adapterVersion: number | null;
  context: { role: "user" | "assistant"; content: string }[];
  draft: string;
  ownerText: string;
  [field: string]: unknown;
}

export interface CloneView {
  _id: string;
  _rev: number;
  ownerId: string;
  name: string;
  status: CloneStatus;
  deleted: boolean;
  createdAt: string;
  updatedAt: string;
  persona: { displayName: string; systemPrompt: string; language: string; updatedAt: string } | null;
  sources: SourceView[];
  datasets: DatasetView[];
  datasetError: { reason: string; at: string } | null;
  datasetRequest: DatasetRequestView | null;
  trainingRuns: TrainingRunView[];
  published: PublishedVersionView[];
  /**
   * The bundle `latest` installs: the newest published unless the owner went back to an earlier one.
   * Absent in documents projected before it was kept: read it through currentPublishedVersionOf.
   */
  currentPublishedVersion?: number | null;
  installTokens?: InstallTokenView[];
  /** Blind-test answers per adapter version; absent before the first trial. */
  blindTests?: BlindTestTallyView[];
  /** The owner's corrections counted; absent in documents projected before corrections existed (none). */
  corrections?: CorrectionsCountView;
  [field: string]: unknown;
}

export interface OwnerView {
  _id: string;
  _rev: number;
  name: string;
  createdAt: string;
  [field: string]: unknown;
}

export interface ApiKeyView {
  _id: string;
  _rev: number;
  ownerId: string;
  name: string;
  hash: string;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
  [field: string]: unknown;
}

/** The bundle version `latest` names (null: nothing published). */
export const currentPublishedVersionOf = (view: Pick<CloneView, "published" | "currentPublishedVersion">) =>
  view.currentPublishedVersion ?? view.published.at(-1)?.version ?? null;
