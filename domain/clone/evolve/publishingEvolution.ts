import type { CloneEventsOf } from "../events.js";
import type { EventEvolutions } from "./evolution.js";

export const publishingEvolution: EventEvolutions<CloneEventsOf["publishing"]> = {
  ClonePublished: {
    status: () => "PUBLISHED",
    evolve: (state, event, status) => ({ ...state, status, publishedVersion: event.data.version }),
  },
};
