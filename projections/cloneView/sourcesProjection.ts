import type { CloneEventsOf } from "../../domain/index.js";
import type { ViewProjections } from "./viewProjection.js";

export const sourcesProjections: ViewProjections<CloneEventsOf["sources"]> = {
  SourceUploaded: (view, event, at) => {
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
  },
  SourceInspected: (view, event) => ({
    ...view,
    sources: view.sources.map((s) =>
      s.id === event.data.sourceId ? { ...s, inspection: event.data.inspection } : s,
    ),
  }),
  RawDataPurged: (view, event) => {
    const purged = new Set(event.data.sourceIds);
    return { ...view, sources: view.sources.map((s) => (purged.has(s.id) ? { ...s, purged: true } : s)) };
  },
};
