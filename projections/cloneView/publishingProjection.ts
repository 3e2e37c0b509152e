import type { CloneEventsOf } from "../../domain/index.js";
import type { ViewProjections } from "./viewProjection.js";

export const publishingProjections: ViewProjections<CloneEventsOf["publishing"]> = {
  ClonePublished: (view, event, at) => {
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
      currentPublishedVersion: d.version,
    };
  },
  PublishedVersionSelected: (view, event) => ({ ...view, currentPublishedVersion: event.data.version }),
};
