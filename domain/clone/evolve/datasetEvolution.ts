import type { CloneEventsOf } from "../events.js";
import { type EventEvolutions, trainingHeadline } from "./evolution.js";

export const datasetEvolution: EventEvolutions<CloneEventsOf["dataset"]> = {
  DatasetRequested: {
    status: (current) => (trainingHeadline(current) ? current : "DATASET_BUILDING"),
    evolve: (state, event, status) => ({
      ...state,
      status,
      datasetRequest: { requestId: event.data.requestId, status: "requested" },
    }),
  },
  DatasetBuilt: {
    status: (current) => (trainingHeadline(current) ? current : "DATASET_READY"),
    evolve: (state, event, status) => ({
      ...state,
      status,
      datasetVersion: event.data.version,
      datasetArtifactKey: event.data.artifactKey,
      datasetSourceIds: event.data.sourceIds,
      datasetCorrections: event.data.stats.corrections ?? 0,
      datasetRequest: state.datasetRequest ? { ...state.datasetRequest, status: "built" } : null,
    }),
  },
  DatasetFailed: {
    status: (current) => (trainingHeadline(current) ? current : "DATASET_FAILED"),
    evolve: (state, _event, status) => ({
      ...state,
      status,
      datasetRequest: state.datasetRequest ? { ...state.datasetRequest, status: "failed" } : null,
    }),
  },
};
