import { type CloneEvent, statusAfter } from "../domain/index.js";
import type { CloneView, LossPoint, TrainingRunView } from "./views.js";

const LOSS_HISTORY_MAX = 500;

/** Appends a point; past the bound every other point of the older half is dropped, so long runs keep their shape. */
function withLossPoint(history: LossPoint[], step: number, loss: number): LossPoint[] {
  const next = [...history.filter((p) => p.step < step), { step, loss }];
  if (next.length <= LOSS_HISTORY_MAX) return next;
  const half = Math.floor(next.length / 2);
  return [...next.slice(0, half).filter((_, i) => i % 2 === 0), ...next.slice(half)];
}

export interface EventContext {
  revision: number;
  timestamp: string;
}

function updateRun(
  view: CloneView,
  runId: string,
  change: (run: TrainingRunView) => TrainingRunView,
): TrainingRunView[] {
  return view.trainingRuns.map((run) => (run.id === runId ? change(run) : run));
}

const finishRequest = (view: CloneView, status: "BUILT" | "FAILED", at: string) =>
  view.datasetRequest ? { ...view.datasetRequest, status, finishedAt: at } : null;

/**
 * The clone read model as a pure function of its events: live updates and rebuilds from event zero
 * both go through here, so they cannot disagree. Times come from the events, never from the clock.
 */
/** A clone with nothing in it yet (created), or nothing left (deleted). */
const noContent = () => ({
  persona: null,
  sources: [],
  datasets: [],
  datasetError: null,
  datasetRequest: null,
  trainingRuns: [],
  published: [],
});

export function applyCloneEvent(
  current: CloneView | null,
  event: CloneEvent,
  context: EventContext,
): CloneView | null {
  const at = context.timestamp;
  if (event.type === "CloneCreated")
    return {
      _id: event.data.cloneId,
      _rev: context.revision,
      ownerId: event.data.ownerId,
      name: event.data.name,
      status: "CREATED",
      deleted: false,
      createdAt: at,
      updatedAt: at,
      ...noContent(),
    };
  if (!current) return null;
  const view: CloneView = {
    ...current,
    _rev: context.revision,
    status: statusAfter(current.status, event),
    updatedAt: at,
  };
  switch (event.type) {
    case "PersonaConfigured": {
      const { displayName, systemPrompt, language } = event.data;
      return { ...view, persona: { displayName, systemPrompt, language, updatedAt: at } };
    }
    case "SourceUploaded": {
      const d = event.data;
      return {
        ...view,
        sources: [
          ...view.sources,
          {
            id: d.sourceId,
            fileName: d.fileName,
            size: d.size,
            sha256: d.sha256,
            contentType: d.contentType ?? null,
            uploadedAt: at,
            purged: false,
            inspection: null,
          },
        ],
      };
    }
    case "SourceInspected":
      return {
        ...view,
        sources: view.sources.map((s) =>
          s.id === event.data.sourceId ? { ...s, inspection: event.data.inspection } : s,
        ),
      };
    case "DatasetRequested": {
      const { requestId, sourceIds, spec } = event.data;
      return {
        ...view,
        datasetRequest: { requestId, status: "BUILDING", sourceIds, spec, requestedAt: at, finishedAt: null },
      };
    }
    case "DatasetBuilt": {
      const { version, sourceIds, artifactKey, stats } = event.data;
      return {
        ...view,
        datasetError: null,
        datasetRequest: finishRequest(view, "BUILT", at),
        datasets: [...view.datasets, { version, sourceIds, artifactKey, stats, builtAt: at }],
      };
    }
    case "DatasetFailed":
      return {
        ...view,
        datasetError: { reason: event.data.reason, at },
        datasetRequest: finishRequest(view, "FAILED", at),
      };
    case "TrainingRequested": {
      const d = event.data;
      const run: TrainingRunView = {
        id: d.runId,
        status: "QUEUED",
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
      };
      return { ...view, trainingRuns: [...view.trainingRuns, run] };
    }
    case "TrainingStarted":
      return {
        ...view,
        trainingRuns: updateRun(view, event.data.runId, (run) => ({
          ...run,
          status: "RUNNING",
          backend: event.data.backend,
          worker: event.data.worker ?? null,
          attempt: event.data.attempt ?? 1,
          startedAt: run.startedAt ?? at,
        })),
      };
    case "TrainingProgressed": {
      const d = event.data;
      return {
        ...view,
        trainingRuns: updateRun(view, d.runId, (run) => ({
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
          lossHistory:
            d.loss === undefined ? run.lossHistory : withLossPoint(run.lossHistory, d.step, d.loss),
        })),
      };
    }
    case "TrainingCompleted": {
      const d = event.data;
      return {
        ...view,
        trainingRuns: updateRun(view, d.runId, (run) => ({
          ...run,
          status: "COMPLETED",
          finishedAt: at,
          adapterVersion: d.adapterVersion,
          artifactKey: d.artifactKey,
          metrics: d.metrics,
        })),
      };
    }
    case "TrainingFailed":
      return {
        ...view,
        trainingRuns: updateRun(view, event.data.runId, (run) => ({
          ...run,
          status: "FAILED",
          finishedAt: at,
          error: event.data.reason,
        })),
      };
    case "TrainingCancelled":
      return {
        ...view,
        trainingRuns: updateRun(view, event.data.runId, (run) => ({
          ...run,
          status: "CANCELLED",
          finishedAt: at,
          error: event.data.reason ?? null,
        })),
      };
    case "ClonePublished": {
      const d = event.data;
      return {
        ...view,
        published: [
          ...view.published,
          {
            version: d.version,
            adapterVersion: d.adapterVersion,
            publishedAt: at,
            artifactKey: d.artifactKey ?? null,
            sha256: d.sha256 ?? null,
            size: d.size ?? null,
          },
        ],
      };
    }
    case "InstallTokenCreated": {
      const d = event.data;
      const token = {
        id: d.tokenId,
        name: d.name,
        prefix: d.prefix,
        createdAt: at,
        expiresAt: d.expiresAt,
        revokedAt: null,
      };
      return { ...view, installTokens: [...(view.installTokens ?? []), token] };
    }
    case "InstallTokenRevoked":
      return {
        ...view,
        installTokens: (view.installTokens ?? []).map((t) =>
          t.id === event.data.tokenId ? { ...t, revokedAt: at } : t,
        ),
      };
    case "RawDataPurged": {
      const purged = new Set(event.data.sourceIds);
      return { ...view, sources: view.sources.map((s) => (purged.has(s.id) ? { ...s, purged: true } : s)) };
    }
    case "CloneDeleted":
      // A tombstone answers deleteClone and keeps the guard for late redeliveries; nothing the person
      // wrote or uploaded, nor anything made from it, stays in it.
      return { ...view, ...noContent(), deleted: true, name: "", installTokens: [] };
  }
}
