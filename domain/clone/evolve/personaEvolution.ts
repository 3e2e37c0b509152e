import type { CloneEventsOf } from "../events.js";
import type { EventEvolutions } from "./evolution.js";

export const personaEvolution: EventEvolutions<CloneEventsOf["persona"]> = {
  PersonaConfigured: {
    status: (current) => (current === "CREATED" ? "CONFIGURED" : current),
    evolve: (state, _event, status) => ({ ...state, status }),
  },
  CloneRenamed: {
    status: (current) => current,
    evolve: (state, event, status) => ({ ...state, status, name: event.data.name }),
  },
};
