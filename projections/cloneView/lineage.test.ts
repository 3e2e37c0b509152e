import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CloneEvent } from "../../domain/index.js";
import { applyCloneEvent } from "../cloneView.js";
import { type CloneView, currentPublishedVersionOf } from "../views.js";

const cloneId = "c1";
const sha = "c".repeat(64);
const project = (events: CloneEvent[]): CloneView => {
  let view: CloneView | null = null;
  events.forEach((event, i) => {
    view = applyCloneEvent(view, event, {
      revision: i + 1,
      timestamp: `2026-12-06T20:00:${String(i).padStart(2, "0")}Z`,
    });
  });
  assert.ok(view);
  return view;
};
const requested = (
  runId: string,
  lineage?: Extract<CloneEvent, { type: "TrainingRequested" }>["data"]["lineage"],
): CloneEvent => ({
  type: "TrainingRequested",
  data: {
    cloneId,
    runId,
    datasetVersion: 1,
    baseModel: "tiny",
    hyperparameters: {},
    ...(lineage ? { lineage } : {}),
  },
});
const published = (version: number, adapterVersion: number): CloneEvent => ({
  type: "ClonePublished",
  data: { cloneId, version, adapterVersion, artifactKey: `b${version}`, sha256: sha, size: 1 },
});
const created: CloneEvent = { type: "CloneCreated", data: { cloneId, ownerId: "o1", name: "Аня" } };

describe("clone view: lineage and the chosen bundle", () => {
  it("shows each run's lineage (none for runs requested before it was recorded)", () => {
    const view = project([
      created,
      requested("old"),
      { type: "TrainingFailed", data: { cloneId, runId: "old", reason: "x" } },
      requested("r2", {
        sourceIds: ["s1", "s2"],
        correctionsIncluded: 0,
        parent: { adapterVersion: 1, artifactKey: "clones/c1/training/r1/adapter.gguf" },
      }),
    ]);
    assert.equal(view.trainingRuns[0]?.lineage, null);
    assert.deepEqual(view.trainingRuns[1]?.lineage, {
      sourceIds: ["s1", "s2"],
      correctionsIncluded: 0,
      parentAdapterVersion: 1,
    });
  });

  it("names the newest bundle current, then the one the owner went back to, then the next publish", () => {
    const two = [created, published(1, 1), published(2, 2)];
    assert.equal(currentPublishedVersionOf(project(two)), 2);
    const back = project([
      ...two,
      { type: "PublishedVersionSelected", data: { cloneId, version: 1, adapterVersion: 1 } },
    ]);
    assert.equal(back.currentPublishedVersion, 1);
    assert.equal(back.status, "PUBLISHED");
    assert.equal(
      project([
        ...two,
        { type: "PublishedVersionSelected", data: { cloneId, version: 1, adapterVersion: 1 } },
        published(3, 2),
      ]).currentPublishedVersion,
      3,
    );
  });

  it("reads a document projected before the current bundle was kept as its newest bundle", () => {
    assert.equal(currentPublishedVersionOf({ published: [] }), null);
    const old = { published: project([created, published(1, 1), published(2, 1)]).published };
    assert.equal(currentPublishedVersionOf(old), 2);
  });
});
