import type { CloneEventsOf } from "../../domain/index.js";
import type { BlindTestTallyView, CloneView } from "../views.js";
import type { ViewProjections } from "./viewProjection.js";

function updateTally(
  view: CloneView,
  adapterVersion: number,
  change: (tally: BlindTestTallyView) => BlindTestTallyView,
): CloneView {
  const tallies = view.blindTests ?? [];
  const current = tallies.find((t) => t.adapterVersion === adapterVersion) ?? {
    adapterVersion,
    realPicked: 0,
    clonePicked: 0,
    cantTell: 0,
    drawn: 0,
  };
  const others = tallies.filter((t) => t.adapterVersion !== adapterVersion);
  const blindTests = [...others, change(current)].sort((a, b) => a.adapterVersion - b.adapterVersion);
  return { ...view, blindTests };
}

/** Counts only: which candidate was real stays in the event stream, out of the read model. */
export const blindTestProjections: ViewProjections<CloneEventsOf["blindTest"]> = {
  BlindTrialDrawn: (view, event) =>
    updateTally(view, event.data.adapterVersion, (t) => ({ ...t, drawn: t.drawn + 1 })),
  BlindTrialAnswered: (view, event) =>
    updateTally(view, event.data.adapterVersion, (t) => {
      const outcome = event.data.outcome;
      if (outcome === "real") return { ...t, realPicked: t.realPicked + 1 };
      if (outcome === "clone") return { ...t, clonePicked: t.clonePicked + 1 };
      return { ...t, cantTell: t.cantTell + 1 };
    }),
};
