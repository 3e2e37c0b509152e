import type { CloneEventsOf } from "../../domain/index.js";
import type { CloneView } from "../views.js";
import type { ViewProjections } from "./viewProjection.js";

const finishRequest = (view: CloneView, status: "BUILT" | "FAILED", at: string) =>
  view.datasetRequest ? { ...view.datasetRequest, status, finishedAt: at } : null;

export const datasetProjections: ViewProjections<CloneEventsOf["dataset"]> = {
  DatasetRequested: (view, event, at) => {
    const { requestId, sourceIds, spec } = event.data;
    return {
      ...view,
      datasetRequest: { requestId, status: "BUILDING", sourceIds, spec, requestedAt: at, finishedAt: null },
    };
  },
  DatasetBuilt: (view, event, at) => {
    const { version, sourceIds, artifactKey, stats } = event.data;
    return {
      ...view,
      datasetError: null,
      datasetRequest: finishRequest(view, "BUILT", at),
      datasets: [...view.datasets, { version, sourceIds, artifactKey, stats, builtAt: at }],
      corrections: { total: view.corrections?.total ?? 0, inNewestDataset: stats.corrections ?? 0 },
    };
  },
  DatasetFailed: (view, event, at) => ({
    ...view,
    datasetError: { reason: event.data.reason, at },
    datasetRequest: finishRequest(view, "FAILED", at),
  }),
};
