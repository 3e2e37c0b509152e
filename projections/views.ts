import type { CloneStatus, DatasetRequestSpec, DatasetStats, SourceInspection } from "../domain/index.js";

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

export interface TrainingRunView {
  id: string;
  status: "QUEUED" | "RUNNING" | "COMPLETED" | "FAILED";
  datasetVersion: number;
  baseModel: string;
  hyperparameters: Record<string, string | number | boolean>;
  backend: string | null;
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  progress: TrainingProgressView | null;
  adapterVersion: number | null;
  artifactKey: string | null;
  metrics: Record<string, unknown> | null;
  error: string | null;
}

export interface PublishedVersionView {
  version: number;
  adapterVersion: number;
  publishedAt: string;
  artifactKey: string | null;
  sha256: string | null;
  size: number | null;
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
