import type { CloneEventsOf } from "../events.js";
import { type EventEvolutions, unchanged } from "./evolution.js";

export const tokensEvolution: EventEvolutions<CloneEventsOf["tokens"]> = {
  InstallTokenCreated: {
    status: unchanged,
    evolve: (state, event) => ({
      ...state,
      installTokens: [
        ...state.installTokens,
        { tokenId: event.data.tokenId, expiresAt: event.data.expiresAt, revoked: false },
      ],
    }),
  },
  InstallTokenRevoked: {
    status: unchanged,
    evolve: (state, event) => ({
      ...state,
      installTokens: state.installTokens.map((t) =>
        t.tokenId === event.data.tokenId ? { ...t, revoked: true } : t,
      ),
    }),
  },
};
