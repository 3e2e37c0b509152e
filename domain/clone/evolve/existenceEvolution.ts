import type { CloneEventsOf } from "../events.js";
import { type CloneState, initialCloneState } from "../state.js";
import type { EventEvolutions } from "./evolution.js";

export const existenceEvolution: EventEvolutions<CloneEventsOf["existence"]> = {
  CloneCreated: {
    status: () => "CREATED",
    evolve: (_state, event, status): CloneState => ({
      ...initialCloneState,
      exists: true,
      ownerId: event.data.ownerId,
      name: event.data.name,
      status,
    }),
  },
  CloneDeleted: {
    status: () => "DELETED",
    evolve: (state, _event, status) => ({ ...state, status, deleted: true }),
  },
};
