import { isTrainingRunActive, type TrainingRunStatus } from "./trainingRunStatus.js";

export type CloneStatus =
  | "CREATED"
  | "CONFIGURED"
  | "SOURCES_UPLOADED"
  | "DATASET_BUILDING"
  | "DATASET_READY"
  | "DATASET_FAILED"
  | "TRAINING_QUEUED"
  | "TRAINING"
  | "TRAINED"
  | "TRAINING_FAILED"
  | "TRAINING_CANCELLED"
  | "PUBLISHED"
  | "DELETED";

export interface SourceState {
  sourceId: string;
  sha256: string;
  /** Where the archive is stored and the name it was uploaded under: DatasetRequested carries them. */
  artifactKey: string;
  fileName: string;
  purged: boolean;
  inspected: boolean;
}

export interface DatasetRequestState {
  requestId: string;
  status: "requested" | "built" | "failed";
}

export interface TrainingState {
  runId: string;
  status: TrainingRunStatus;
  lastStep: number;
  /** The worker attempt that currently holds the run (0 before the first start). */
  attempt: number;
}

export interface InstallTokenState {
  tokenId: string;
  expiresAt: string;
  revoked: boolean;
}

export interface CloneState {
  exists: boolean;
  deleted: boolean;
  ownerId: string;
  status: CloneStatus;
  sources: SourceState[];
  /** Highest dataset version built so far (0: none). */
  datasetVersion: number;
  /** The artifact prefix of that version (null: none built); TrainingRequested carries it. */
  datasetArtifactKey: string | null;
  /** Highest adapter version produced by a completed training (0: none). */
  adapterVersion: number;
  /** Highest bundle version published (0: none). */
  publishedVersion: number;
  training: TrainingState | null;
  datasetRequest: DatasetRequestState | null;
  installTokens: InstallTokenState[];
}

export const initialCloneState: CloneState = {
  exists: false,
  deleted: false,
  ownerId: "",
  status: "CREATED",
  sources: [],
  datasetVersion: 0,
  datasetArtifactKey: null,
  adapterVersion: 0,
  publishedVersion: 0,
  training: null,
  datasetRequest: null,
  installTokens: [],
};

export const datasetBuildInFlight = (state: CloneState): boolean =>
  state.datasetRequest?.status === "requested";

export const trainingInFlight = (state: CloneState): boolean =>
  state.training !== null && isTrainingRunActive(state.training.status);
