import type { CloneEventData, CloneEventsOf } from "../../domain/index.js";
import { correctionDocId } from "../readModels.js";
import type { CorrectionView } from "../views.js";
import type { ViewProjections } from "./viewProjection.js";

export const correctionsProjections: ViewProjections<CloneEventsOf["corrections"]> = {
  // The clone's view counts them; the words go to the corrections collection (correctionDoc).
  CorrectionRecorded: (view) => ({
    ...view,
    corrections: {
      total: (view.corrections?.total ?? 0) + 1,
      inNewestDataset: view.corrections?.inNewestDataset ?? 0,
    },
  }),
};

/** The corrections collection's document for a recorded correction. */
export const correctionDoc = (
  data: CloneEventData<"CorrectionRecorded">,
  revision: number,
): CorrectionView => ({
  _id: correctionDocId(data.cloneId, data.correctionId),
  _rev: revision,
  cloneId: data.cloneId,
  correctionId: data.correctionId,
  at: data.at,
  channel: data.channel,
  adapterVersion: data.adapterVersion,
  context: data.context,
  draft: data.draft,
  ownerText: data.ownerText,
});
