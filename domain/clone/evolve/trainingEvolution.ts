import type { CloneEventsOf } from "../events.js";
import type { CloneState, TrainingState } from "../state.js";
import type { EventEvolutions } from "./evolution.js";

const finished = (state: CloneState, status: TrainingState["status"]): TrainingState | null =>
  state.training ? { ...state.training, status } : null;

export const trainingEvolution: EventEvolutions<CloneEventsOf["training"]> = {
  TrainingRequested: {
    status: () => "TRAINING_QUEUED",
    evolve: (state, event, status) => ({
      ...state,
      status,
      training: {
        runId: event.data.runId,
        status: "queued",
        lastStep: 0,
        attempt: 0,
        baseModel: event.data.baseModel,
        parentAdapterVersion: event.data.lineage?.parent?.adapterVersion ?? null,
        datasetVersion: event.data.datasetVersion,
        datasetArtifactKey: event.data.datasetArtifactKey ?? null,
      },
    }),
  },
  TrainingStarted: {
    status: () => "TRAINING",
    evolve: (state, event, status) =>
      state.training
        ? {
            ...state,
            status,
            training: { ...state.training, status: "running", attempt: event.data.attempt ?? 1 },
          }
        : state,
  },
  TrainingProgressed: {
    status: () => "TRAINING",
    evolve: (state, event, status) =>
      state.training
        ? { ...state, status, training: { ...state.training, lastStep: event.data.step } }
        : state,
  },
  TrainingCompleted: {
    status: () => "TRAINED",
    evolve: (state, event, status) => ({
      ...state,
      status,
      adapterVersion: event.data.adapterVersion,
      adapters: [
        ...state.adapters,
        {
          version: event.data.adapterVersion,
          runId: event.data.runId,
          baseModel: state.training?.baseModel ?? "",
          artifactKey: event.data.artifactKey,
          parentAdapterVersion: state.training?.parentAdapterVersion ?? null,
          datasetVersion: state.training?.datasetVersion ?? null,
          datasetArtifactKey: state.training?.datasetArtifactKey ?? null,
        },
      ],
      training: finished(state, "completed"),
    }),
  },
  TrainingFailed: {
    status: () => "TRAINING_FAILED",
    evolve: (state, _event, status) => ({ ...state, status, training: finished(state, "failed") }),
  },
  TrainingCancelled: {
    status: () => "TRAINING_CANCELLED",
    evolve: (state, _event, status) => ({ ...state, status, training: finished(state, "cancelled") }),
  },
};
