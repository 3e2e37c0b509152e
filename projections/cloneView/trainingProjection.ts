import type { CloneEventsOf } from "../../domain/index.js";
import type { CloneView, LossPoint, TrainingRunView } from "../views.js";
import type { ViewProjections } from "./viewProjection.js";

const LOSS_HISTORY_MAX = 500;

/** Appends a point; past the bound every other point of the older half is dropped, so long runs keep their shape. */
function withLossPoint(history: LossPoint[], step: number, loss: number): LossPoint[] {
  const next = [...history.filter((p) => p.step < step), { step, loss }];
  if (next.length <= LOSS_HISTORY_MAX) return next;
  const half = Math.floor(next.length / 2);
  return [...next.slice(0, half).filter((_, i) => i % 2 === 0), ...next.slice(half)];
}

function updateRun(
  view: CloneView,
  runId: string,
  change: (run: TrainingRunView) => TrainingRunView,
): CloneView {
  return { ...view, trainingRuns: view.trainingRuns.map((run) => (run.id === runId ? change(run) : run)) };
}

export const trainingProjections: ViewProjections<CloneEventsOf["training"]> = {
  TrainingRequested: (view, event, at) => {
    const d = event.data;
    const run: TrainingRunView = {
      id: d.runId,
      status: "queued",
      datasetVersion: d.datasetVersion,
      baseModel: d.baseModel,
      hyperparameters: d.hyperparameters,
      backend: null,
      worker: null,
      attempt: 0,
      requestedAt: at,
      startedAt: null,
      finishedAt: null,
      progress: null,
      lossHistory: [],
      adapterVersion: null,
      artifactKey: null,
      metrics: null,
      error: null,
      lineage: d.lineage
        ? {
            sourceIds: d.lineage.sourceIds,
            correctionsIncluded: d.lineage.correctionsIncluded,
            parentAdapterVersion: d.lineage.parent?.adapterVersion ?? null,
          }
        : null,
    };
    return { ...view, trainingRuns: [...view.trainingRuns, run] };
  },
  TrainingStarted: (view, event, at) =>
    updateRun(view, event.data.runId, (run) => ({
      ...run,
      status: "running",
      backend: event.data.backend,
      worker: event.data.worker ?? null,
      attempt: event.data.attempt ?? 1,
      startedAt: run.startedAt ?? at,
    })),
  TrainingProgressed: (view, event, at) => {
    const d = event.data;
    return updateRun(view, d.runId, (run) => ({
      ...run,
      progress: {
        step: d.step,
        totalSteps: d.totalSteps,
        epoch: d.epoch,
        loss: d.loss ?? null,
        learningRate: d.learningRate ?? null,
        tokensPerSecond: d.tokensPerSecond ?? null,
        etaSeconds: d.etaSeconds ?? null,
        at,
      },
      lossHistory: d.loss === undefined ? run.lossHistory : withLossPoint(run.lossHistory, d.step, d.loss),
    }));
  },
  TrainingCompleted: (view, event, at) => {
    const d = event.data;
    return updateRun(view, d.runId, (run) => ({
      ...run,
      status: "completed",
      finishedAt: at,
      adapterVersion: d.adapterVersion,
      artifactKey: d.artifactKey,
      metrics: d.metrics,
    }));
  },
  TrainingFailed: (view, event, at) =>
    updateRun(view, event.data.runId, (run) => ({
      ...run,
      status: "failed",
      finishedAt: at,
      error: event.data.reason,
    })),
  TrainingCancelled: (view, event, at) =>
    updateRun(view, event.data.runId, (run) => ({
      ...run,
      status: "cancelled",
      finishedAt: at,
      error: event.data.reason ?? null,
    })),
};
