import type { EventEvolutions } from "./evolution.js";

export const publishingEvolution: EventEvolutions<"ClonePublished"> = {
  ClonePublished: {
    status: () => "PUBLISHED",
    evolve: (state, event, status) => ({ ...state, status, publishedVersion: event.data.version }),
  },
};
