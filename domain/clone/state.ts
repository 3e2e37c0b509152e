import type { CloneEvent } from "./events.js";

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
  purged: boolean;
  inspected: boolean;
}

export interface DatasetRequestState {
  requestId: string;
  status: "requested" | "built" | "failed";
}

export interface TrainingState {
  runId: string;
  status: "requested" | "running" | "completed" | "failed" | "cancelled";
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
  adapterVersion: 0,
  publishedVersion: 0,
  training: null,
  datasetRequest: null,
  installTokens: [],
};

export const datasetBuildInFlight = (state: CloneState): boolean =>
  state.datasetRequest?.status === "requested";

export const trainingInFlight = (state: CloneState): boolean =>
  state.training !== null && (state.training.status === "requested" || state.training.status === "running");

/** The lifecycle stage shown to users; shared by the decider and the read models so they never disagree. */
export function statusAfter(status: CloneStatus, event: CloneEvent): CloneStatus {
  switch (event.type) {
    case "CloneCreated":
      return "CREATED";
    case "PersonaConfigured":
      return status === "CREATED" ? "CONFIGURED" : status;
    case "SourceUploaded":
      return status === "CREATED" || status === "CONFIGURED" || status === "DATASET_FAILED"
        ? "SOURCES_UPLOADED"
        : status;
    case "SourceInspected":
      return status;
    case "DatasetRequested":
      return status === "TRAINING_QUEUED" || status === "TRAINING" ? status : "DATASET_BUILDING";
    case "DatasetBuilt":
      return status === "TRAINING_QUEUED" || status === "TRAINING" ? status : "DATASET_READY";
    case "DatasetFailed":
      return status === "TRAINING_QUEUED" || status === "TRAINING" ? status : "DATASET_FAILED";
    case "TrainingRequested":
      return "TRAINING_QUEUED";
    case "TrainingStarted":
    case "TrainingProgressed":
      return "TRAINING";
    case "TrainingCompleted":
      return "TRAINED";
    case "TrainingFailed":
      return "TRAINING_FAILED";
    case "TrainingCancelled":
      return "TRAINING_CANCELLED";
    case "ClonePublished":
      return "PUBLISHED";
    case "RawDataPurged":
    case "InstallTokenCreated":
    case "InstallTokenRevoked":
      return status;
    case "CloneDeleted":
      return "DELETED";
  }
}

export function evolveClone(state: CloneState, event: CloneEvent): CloneState {
  const status = statusAfter(state.status, event);
  switch (event.type) {
    case "CloneCreated":
      return { ...initialCloneState, exists: true, ownerId: event.data.ownerId, status };
    case "PersonaConfigured":
      return { ...state, status };
    case "SourceUploaded":
      return {
        ...state,
        status,
        sources: [
          ...state.sources,
          { sourceId: event.data.sourceId, sha256: event.data.sha256, purged: false, inspected: false },
        ],
      };
    case "SourceInspected":
      return {
        ...state,
        sources: state.sources.map((s) =>
          s.sourceId === event.data.sourceId ? { ...s, inspected: true } : s,
        ),
      };
    case "DatasetRequested":
      return { ...state, status, datasetRequest: { requestId: event.data.requestId, status: "requested" } };
    case "DatasetBuilt":
      return {
        ...state,
        status,
        datasetVersion: event.data.version,
        datasetRequest: state.datasetRequest ? { ...state.datasetRequest, status: "built" } : null,
      };
    case "DatasetFailed":
      return {
        ...state,
        status,
        datasetRequest: state.datasetRequest ? { ...state.datasetRequest, status: "failed" } : null,
      };
    case "TrainingRequested":
      return {
        ...state,
        status,
        training: { runId: event.data.runId, status: "requested", lastStep: 0, attempt: 0 },
      };
    case "TrainingStarted":
      return state.training
        ? {
            ...state,
            status,
            training: { ...state.training, status: "running", attempt: event.data.attempt ?? 1 },
          }
        : state;
    case "TrainingProgressed":
      return state.training
        ? { ...state, status, training: { ...state.training, lastStep: event.data.step } }
        : state;
    case "TrainingCompleted":
      return {
        ...state,
        status,
        adapterVersion: event.data.adapterVersion,
        training: state.training ? { ...state.training, status: "completed" } : null,
      };
    case "TrainingFailed":
      return { ...state, status, training: state.training ? { ...state.training, status: "failed" } : null };
    case "TrainingCancelled":
      return {
        ...state,
        status,
        training: state.training ? { ...state.training, status: "cancelled" } : null,
      };
    case "ClonePublished":
      return { ...state, status, publishedVersion: event.data.version };
    case "InstallTokenCreated":
      return {
        ...state,
        installTokens: [
          ...state.installTokens,
          { tokenId: event.data.tokenId, expiresAt: event.data.expiresAt, revoked: false },
        ],
      };
    case "InstallTokenRevoked":
      return {
        ...state,
        installTokens: state.installTokens.map((t) =>
          t.tokenId === event.data.tokenId ? { ...t, revoked: true } : t,
        ),
      };
    case "RawDataPurged": {
      const purged = new Set(event.data.sourceIds);
      return {
        ...state,
        sources: state.sources.map((s) => (purged.has(s.sourceId) ? { ...s, purged: true } : s)),
      };
    }
    case "CloneDeleted":
      return { ...state, status, deleted: true };
  }
}
