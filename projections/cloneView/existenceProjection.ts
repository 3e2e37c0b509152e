import type { CloneView } from "../views.js";
import type { EventOf, ViewProjections } from "./viewProjection.js";

/** A clone with nothing in it yet (created), or nothing left (deleted). */
const noContent = () => ({
  persona: null,
  sources: [],
  datasets: [],
  datasetError: null,
  datasetRequest: null,
  trainingRuns: [],
  published: [],
  currentPublishedVersion: null,
  corrections: { total: 0, inNewestDataset: 0 },
});

/** What a deleted clone's view holds of its content: nothing the person wrote or uploaded, nor made from it. */
export const erasedContent = () => ({ ...noContent(), name: "", installTokens: [] });

/** The first document of a clone: the only event that does not need a view to apply to. */
export const createdView = (event: EventOf<"CloneCreated">, revision: number, at: string): CloneView => ({
  _id: event.data.cloneId,
  _rev: revision,
  ownerId: event.data.ownerId,
  name: event.data.name,
  status: "CREATED",
  deleted: false,
  createdAt: at,
  updatedAt: at,
  ...noContent(),
});

export const existenceProjections: ViewProjections<"CloneDeleted"> = {
  // A tombstone answers deleteClone and keeps the guard for late redeliveries; nothing the person
  // wrote or uploaded, nor anything made from it, stays in it.
  CloneDeleted: (view) => ({ ...view, ...erasedContent(), deleted: true }),
};
