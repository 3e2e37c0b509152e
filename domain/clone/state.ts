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
  /** The account that made the export, when the export names it (Telegram): the consent check compares it. */
  exportedBy?: { id: string; name: string | null } | null;
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
  /** The base model the run trains on; its adapter is bound to it. */
  baseModel: string;
  /** The adapter version the run continues from (null: a fresh LoRA). */
  parentAdapterVersion: number | null;
  /** The dataset version the run trains on and its artifact prefix (null when the event did not say). */
  datasetVersion?: number | null;
  datasetArtifactKey?: string | null;
}

/** An adapter a completed run produced: what a continued run or a publish picks by its version. */
export interface AdapterState {
  version: number;
  runId: string;
  baseModel: string;
  /** Its adapter.gguf in the artifact store; its PEFT folder sits beside it. */
  artifactKey: string;
  parentAdapterVersion: number | null;
  /** The dataset the run trained on (its prefix holds val.jsonl); null for runs recorded before it was kept. */
  datasetVersion?: number | null;
  datasetArtifactKey?: string | null;
}

/** A blind-test trial drawn for one adapter version; its real candidate is known to the server only. */
export interface BlindTrialState {
  trialId: string;
  adapterVersion: number;
  realCandidate: "a" | "b";
  answered: boolean;
}

/** A published bundle and the adapter it packs. */
export interface PublishedBundleState {
  version: number;
  adapterVersion: number;
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
  /** The clone's name (personal: erased in the log once the clone is deleted). */
  name: string;
  status: CloneStatus;
  sources: SourceState[];
  /** Highest dataset version built so far (0: none). */
  datasetVersion: number;
  /** The artifact prefix of that version (null: none built); TrainingRequested carries it. */
  datasetArtifactKey: string | null;
  /** The sources that version was built from: a training run's lineage records them. */
  datasetSourceIds: string[];
  /** Highest adapter version produced by a completed training (0: none). */
  adapterVersion: number;
  /** Every adapter produced so far, oldest first. */
  adapters: AdapterState[];
  /** Highest bundle version published (0: none). */
  publishedVersion: number;
  /** Every bundle published so far, oldest first. */
  published: PublishedBundleState[];
  /** The bundle `latest` installs: the newest published, or the one the owner went back to (0: none). */
  currentPublishedVersion: number;
  training: TrainingState | null;
  datasetRequest: DatasetRequestState | null;
  installTokens: InstallTokenState[];
  /** Blind-test trials, oldest first. */
  blindTrials: BlindTrialState[];
  /** The ids of the owner's corrections, oldest first (their words are in the events only). */
  correctionIds: string[];
  /** How many corrections the newest built dataset includes: a training run's lineage records it. */
  datasetCorrections: number;
}

export const initialCloneState: CloneState = {
  exists: false,
  deleted: false,
  ownerId: "",
  name: "",
  status: "CREATED",
  sources: [],
  datasetVersion: 0,
  datasetArtifactKey: null,
  datasetSourceIds: [],
  adapterVersion: 0,
  adapters: [],
  publishedVersion: 0,
  published: [],
  currentPublishedVersion: 0,
  training: null,
  datasetRequest: null,
  installTokens: [],
  blindTrials: [],
  correctionIds: [],
  datasetCorrections: 0,
};

export const datasetBuildInFlight = (state: CloneState): boolean =>
  state.datasetRequest?.status === "requested";

export const trainingInFlight = (state: CloneState): boolean =>
  state.training !== null && isTrainingRunActive(state.training.status);
