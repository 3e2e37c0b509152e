import type { CloneEventsOf } from "../../domain/index.js";
import type { ViewProjections } from "./viewProjection.js";

export const tokensProjections: ViewProjections<CloneEventsOf["tokens"]> = {
  InstallTokenCreated: (view, event, at) => {
    const d = event.data;
    const token = {
      id: d.tokenId,
      name: d.name,
      prefix: d.prefix,
      createdAt: at,
      expiresAt: d.expiresAt,
      revokedAt: null,
    };
    return { ...view, installTokens: [...(view.installTokens ?? []), token] };
  },
  InstallTokenRevoked: (view, event, at) => ({
    ...view,
    installTokens: (view.installTokens ?? []).map((t) =>
      t.id === event.data.tokenId ? { ...t, revokedAt: at } : t,
    ),
  }),
};
