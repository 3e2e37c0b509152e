import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { blindTestScore, type CloneEvent } from "../../domain/index.js";
import { applyCloneEvent } from "../cloneView.js";
import type { CloneView } from "../views.js";

const cloneId = "c1";
const project = (events: CloneEvent[]): CloneView => {
  let view: CloneView | null = null;
  events.forEach((event, i) => {
    view = applyCloneEvent(view, event, {
      revision: i + 1,
      timestamp: `2026-12-06T21:00:${String(i).padStart(2, "0")}Z`,
    });
  });
  assert.ok(view);
  return view;
};
const drawn = (trialId: string, adapterVersion: number): CloneEvent => ({
  type: "BlindTrialDrawn",
  data: { cloneId, trialId, adapterVersion, sampleIndex: 0, realCandidate: "a" },
});
const answered = (
  trialId: string,
  adapterVersion: number,
  outcome: "real" | "clone" | "cant_tell",
): CloneEvent => ({
  type: "BlindTrialAnswered",
  data: {
    cloneId,
    trialId,
    adapterVersion,
    choice: outcome === "cant_tell" ? "cant_tell" : "a",
    outcome,
    realCandidate: "a",
  },
});

describe("clone view: blind test tallies", () => {
  it("counts answers per adapter version, per version", () => {
    const view = project([
      { type: "CloneCreated", data: { cloneId, ownerId: "o1", name: "Аня" } },
      drawn("t1", 2),
      answered("t1", 2, "real"),
      drawn("t2", 1),
      answered("t2", 1, "clone"),
      drawn("t3", 2),
      answered("t3", 2, "cant_tell"),
      drawn("t4", 2),
    ]);
    assert.deepEqual(view.blindTests, [
      { adapterVersion: 1, realPicked: 0, clonePicked: 1, cantTell: 0, drawn: 1 },
      { adapterVersion: 2, realPicked: 1, clonePicked: 0, cantTell: 1, drawn: 3 },
    ]);
    assert.equal(
      blindTestScore(view.blindTests?.[1] ?? { realPicked: 0, clonePicked: 0, cantTell: 0 }).pickedReal,
      0.75,
    );
  });
  it("leaves the status alone", () => {
    const view = project([
      { type: "CloneCreated", data: { cloneId, ownerId: "o1", name: "Аня" } },
      drawn("t1", 1),
    ]);
    assert.equal(view.status, "CREATED");
  });
});
