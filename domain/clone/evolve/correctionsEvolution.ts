import type { CloneEventsOf } from "../events.js";
import { type EventEvolutions, unchanged } from "./evolution.js";

export const correctionsEvolution: EventEvolutions<CloneEventsOf["corrections"]> = {
  CorrectionRecorded: {
    status: unchanged,
    evolve: (state, event) => ({
      ...state,
      correctionIds: [...state.correctionIds, event.data.correctionId],
    }),
  },
};
