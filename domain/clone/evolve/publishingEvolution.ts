import type { CloneEventsOf } from "../events.js";
import type { EventEvolutions } from "./evolution.js";

export const publishingEvolution: EventEvolutions<CloneEventsOf["publishing"]> = {
  ClonePublished: {
    status: () => "PUBLISHED",
    evolve: (state, event, status) => ({
      ...state,
      status,
      publishedVersion: event.data.version,
      published: [
        ...state.published,
        { version: event.data.version, adapterVersion: event.data.adapterVersion },
      ],
      currentPublishedVersion: event.data.version,
    }),
  },
  PublishedVersionSelected: {
    status: () => "PUBLISHED",
    evolve: (state, event, status) => ({ ...state, status, currentPublishedVersion: event.data.version }),
  },
};
