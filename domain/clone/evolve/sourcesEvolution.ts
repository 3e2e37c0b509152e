import type { CloneEventsOf } from "../events.js";
import { type EventEvolutions, unchanged } from "./evolution.js";

export const sourcesEvolution: EventEvolutions<CloneEventsOf["sources"]> = {
  SourceUploaded: {
    status: (current) =>
      current === "CREATED" || current === "CONFIGURED" || current === "DATASET_FAILED"
        ? "SOURCES_UPLOADED"
        : current,
    evolve: (state, event, status) => ({
      ...state,
      status,
      sources: [
        ...state.sources,
        {
          sourceId: event.data.sourceId,
          sha256: event.data.sha256,
          artifactKey: event.data.artifactKey,
          fileName: event.data.fileName,
          purged: false,
          inspected: false,
        },
      ],
    }),
  },
  SourceInspected: {
    status: unchanged,
    evolve: (state, event) => ({
      ...state,
      sources: state.sources.map((s) =>
        s.sourceId === event.data.sourceId
          ? { ...s, inspected: true, exportedBy: event.data.inspection.ownerCandidate }
          : s,
      ),
    }),
  },
  RawDataPurged: {
    status: unchanged,
    evolve: (state, event) => {
      const purged = new Set(event.data.sourceIds);
      return {
        ...state,
        sources: state.sources.map((s) => (purged.has(s.sourceId) ? { ...s, purged: true } : s)),
      };
    },
  },
};
