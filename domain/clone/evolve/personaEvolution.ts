import type { EventEvolutions } from "./evolution.js";

export const personaEvolution: EventEvolutions<"PersonaConfigured"> = {
  PersonaConfigured: {
    status: (current) => (current === "CREATED" ? "CONFIGURED" : current),
    evolve: (state, _event, status) => ({ ...state, status }),
  },
};
