import type { CloneEventsOf } from "../../domain/index.js";
import type { ViewProjections } from "./viewProjection.js";

export const personaProjections: ViewProjections<CloneEventsOf["persona"]> = {
  PersonaConfigured: (view, event, at) => {
    const { displayName, systemPrompt, language } = event.data;
    return { ...view, persona: { displayName, systemPrompt, language, updatedAt: at } };
  },
  CloneRenamed: (view, event) => ({ ...view, name: event.data.name }),
};
