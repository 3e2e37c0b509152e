import type { CloneEventsOf } from "../events.js";
import { type EventEvolutions, unchanged } from "./evolution.js";

export const blindTestEvolution: EventEvolutions<CloneEventsOf["blindTest"]> = {
  BlindTrialDrawn: {
    status: unchanged,
    evolve: (state, event) => ({
      ...state,
      blindTrials: [
        ...state.blindTrials,
        {
          trialId: event.data.trialId,
          adapterVersion: event.data.adapterVersion,
          realCandidate: event.data.realCandidate,
          answered: false,
        },
      ],
    }),
  },
  BlindTrialAnswered: {
    status: unchanged,
    evolve: (state, event) => ({
      ...state,
      blindTrials: state.blindTrials.map((t) =>
        t.trialId === event.data.trialId ? { ...t, answered: true } : t,
      ),
    }),
  },
};
