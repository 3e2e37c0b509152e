import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CloneEvent } from "../../domain/index.js";
import { applyCloneEvent } from "../cloneView.js";
import { correctionFields, readModelSealing } from "../readModelSealing.js";
import type { CloneView } from "../views.js";
import { correctionDoc } from "./correctionsProjection.js";

const cloneId = "c0ffee00-0000-4000-8000-000000000003";
const project = (events: CloneEvent[]): CloneView => {
  let view: CloneView | null = null;
  events.forEach((event, i) => {
    view = applyCloneEvent(view, event, { revision: i + 1, timestamp: `2026-12-06T21:00:0${i}Z` });
  });
  assert.ok(view);
  return view;
};
const recorded = (correctionId: string): Extract<CloneEvent, { type: "CorrectionRecorded" }> => ({
  type: "CorrectionRecorded",
  data: {
    cloneId,
    correctionId,
    at: "2026-12-06T20:00:00.000Z",
    channel: "preview",
    adapterVersion: 1,
    context: [{ role: "user", content: "Как дела?" }],
    draft: "Нормально.",
    ownerText: "Да отлично!",
  },
});
const built = (version: number, corrections: number): CloneEvent => ({
  type: "DatasetBuilt",
  data: {
    cloneId,
    version,
    sourceIds: ["s1"],
    artifactKey: `k${version}`,
    stats: { conversations: 1, samples: 5, ownerMessages: 5, droppedMessages: 0, corrections },
  },
});
const created: CloneEvent = { type: "CloneCreated", data: { cloneId, ownerId: "o1", name: "Аня" } };

describe("clone view: the owner's corrections", () => {
  it("given corrections and datasets, the view counts all of them and those in the newest dataset", () => {
    assert.deepEqual(project([created]).corrections, { total: 0, inNewestDataset: 0 });
    const view = project([created, recorded("a"), recorded("b"), built(1, 2), recorded("c")]);
    assert.deepEqual(view.corrections, { total: 3, inNewestDataset: 2 });
    assert.equal(view.datasets[0]?.stats.corrections, 2);
    assert.equal(view.status, "DATASET_READY");
  });
  it("a deleted clone's view counts none", () => {
    const view = project([created, recorded("a"), { type: "CloneDeleted", data: { cloneId } }]);
    assert.deepEqual(view.corrections, { total: 0, inNewestDataset: 0 });
  });
  it("a correction's document: ids, time and revision in the clear, the rest sealed under the clone's key", () => {
    const doc = correctionDoc(recorded("a").data, 7);
    assert.equal(doc._id, `${cloneId}/a`);
    assert.equal(doc._rev, 7);
    assert.equal(doc.ownerText, "Да отлично!");
    const known = new Set(["_id", ...correctionFields.plain, ...Object.keys(correctionFields.erased)]);
    assert.deepEqual(
      Object.keys(doc).filter((field) => !known.has(field)),
      [],
    );
    assert.ok(!correctionFields.plain.some((f) => ["ownerText", "draft", "context"].includes(f)));
    assert.equal(correctionFields.scopeOf(doc._id), `clone:${cloneId}`);
    for (const name of ["rm_corrections", "rebuild_corrections"])
      assert.equal(readModelSealing(name), correctionFields);
  });
});
