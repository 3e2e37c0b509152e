import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Actor } from "../decider.js";
import { scenario } from "../test/givenWhenThen.js";
import type { CloneCommand, CorrectionInput } from "./commands.js";
import { cloneDecider } from "./decide.js";
import type { CloneEvent } from "./events.js";
import { evolveClone } from "./evolve.js";
import { erasedPersonalFields } from "./personalData.js";
import { initialCloneState } from "./state.js";

const cloneId = "c1";
const owner: Actor = { kind: "owner", ownerId: "o1" };
const stranger: Actor = { kind: "owner", ownerId: "o2" };
const given = scenario(cloneDecider);
const stats = { conversations: 3, samples: 20, ownerMessages: 40, droppedMessages: 2 };

const created: CloneEvent = { type: "CloneCreated", data: { cloneId, ownerId: "o1", name: "Аня" } };
const uploaded: CloneEvent = {
  type: "SourceUploaded",
  data: {
    cloneId,
    sourceId: "s1",
    fileName: "chat.json",
    size: 10,
    sha256: "a".repeat(64),
    artifactKey: "k1",
  },
};
const built = (version: number, corrections?: number): CloneEvent => ({
  type: "DatasetBuilt",
  data: {
    cloneId,
    version,
    sourceIds: ["s1"],
    artifactKey: `clones/c1/datasets/${version}`,
    stats: { ...stats, ...(corrections !== undefined ? { corrections } : {}) },
  },
});
const requested: CloneEvent = {
  type: "TrainingRequested",
  data: {
    cloneId,
    runId: "r1",
    datasetVersion: 1,
    datasetArtifactKey: "clones/c1/datasets/1",
    baseModel: "tiny",
    hyperparameters: {},
    lineage: { sourceIds: ["s1"], correctionsIncluded: 0, parent: null },
  },
};
const started: CloneEvent = {
  type: "TrainingStarted",
  data: { cloneId, runId: "r1", backend: "local", attempt: 1 },
};
const completed: CloneEvent = {
  type: "TrainingCompleted",
  data: { cloneId, runId: "r1", adapterVersion: 1, artifactKey: "a1", metrics: {} },
};
const trained = [created, uploaded, built(1), requested, started, completed];

const input = (over: Partial<CorrectionInput> = {}): CorrectionInput => ({
  correctionId: "k1",
  at: "2026-12-06T23:00:00+03:00",
  channel: "preview",
  adapterVersion: 1,
  context: [{ role: "user", content: "Как дела?" }],
  draft: "Нормально.",
  ownerText: "  Да отлично, только с работы пришла!  ",
  ...over,
});
const recorded = (over: Partial<CorrectionInput> = {}): CloneEvent => {
  const c = input(over);
  return {
    type: "CorrectionRecorded",
    data: {
      cloneId,
      correctionId: c.correctionId,
      at: new Date(c.at).toISOString(),
      channel: c.channel,
      adapterVersion: c.adapterVersion,
      context: c.context,
      draft: c.draft.trim(),
      ownerText: c.ownerText.trim(),
    },
  };
};
const record = (over: Partial<CorrectionInput> = {}, actor = owner): CloneCommand => ({
  type: "RecordCorrection",
  cloneId,
  actor,
  correction: input(over),
});
const importing = (corrections: CorrectionInput[], actor = owner): CloneCommand => ({
  type: "ImportCorrections",
  cloneId,
  actor,
  corrections,
});

describe("corrections decider", () => {
  it("given a trained clone, when the owner rewrites a preview reply, then the correction is recorded (UTC time, trimmed text)", () =>
    given(trained).when(record()).then([recorded()]));
  it("records the same correction id once (a retried request adds nothing)", () =>
    given([...trained, recorded()])
      .when(record())
      .then([]));
  it("refuses an empty owner text or draft, a bad time, a context not ending with the user's turn", () => {
    given(trained)
      .when(record({ ownerText: "   " }))
      .thenRefused("INVALID", "ownerText");
    given(trained)
      .when(record({ draft: "" }))
      .thenRefused("INVALID", "draft");
    given(trained)
      .when(record({ at: "yesterday" }))
      .thenRefused("INVALID", "at");
    given(trained)
      .when(record({ context: [{ role: "assistant", content: "Привет" }] }))
      .thenRefused("INVALID", "context");
  });
  it("refuses a preview correction of an adapter version that does not exist", () =>
    given(trained)
      .when(record({ adapterVersion: 2 }))
      .thenRefused("CONFLICT", "adapter version 2"));
  it("refuses another owner's clone, a missing clone and a deleted one as missing", () => {
    given(trained).when(record({}, stranger)).thenRefused("NOT_FOUND", "does not exist");
    given([]).when(record()).thenRefused("NOT_FOUND", "does not exist");
    given([...trained, { type: "CloneDeleted", data: { cloneId } }])
      .when(importing([input()]))
      .thenRefused("NOT_FOUND", "deleted");
  });
  it("imports a file's corrections once: ids already recorded are skipped, new ones recorded in order", () => {
    const file = [
      input({ correctionId: "f1", channel: "telegram", adapterVersion: null }),
      input({ correctionId: "f2" }),
    ];
    given([created])
      .when(importing(file))
      .then([
        recorded({ correctionId: "f1", channel: "telegram", adapterVersion: null }),
        recorded({ correctionId: "f2" }),
      ]);
    given([created, recorded({ correctionId: "f1", channel: "telegram", adapterVersion: null })])
      .when(importing(file))
      .then([recorded({ correctionId: "f2" })]);
  });
  it("refuses a whole import with an empty owner text, a repeated id or nothing in it", () => {
    given([created])
      .when(importing([input({ correctionId: "f1" }), input({ correctionId: "f2", ownerText: "" })]))
      .thenRefused("INVALID", "corrections.1.ownerText");
    given([created])
      .when(importing([input({ correctionId: "f1" }), input({ correctionId: "f1" })]))
      .thenRefused("INVALID", "duplicate");
    given([created]).when(importing([])).thenRefused("INVALID", "no corrections");
  });
  it("refuses corrections past the clone's limit", () => {
    const many = Array.from({ length: 10_000 }, (_, i) => recorded({ correctionId: `m${i}` }));
    given([created, ...many])
      .when(importing([input({ correctionId: "one-more" })]))
      .thenRefused("CONFLICT", "10000");
  });
  it("a dataset request names the corrections recorded so far; lineage counts the built dataset's", () => {
    const events = given([
      created,
      uploaded,
      recorded({ correctionId: "f1" }),
      recorded({ correctionId: "f2" }),
    ])
      .when({
        type: "RequestDataset",
        cloneId,
        actor: owner,
        requestId: "q1",
        spec: { owner: null, includeChats: [], excludeChats: [], includeContacts: [], excludeContacts: [] },
      })
      .events();
    const request = events[0];
    assert.equal(request?.type, "DatasetRequested");
    assert.deepEqual(request.type === "DatasetRequested" && request.data.correctionIds, ["f1", "f2"]);
    const training = given([created, uploaded, recorded({ correctionId: "f1" }), built(1, 1)])
      .when({
        type: "RequestTraining",
        cloneId,
        actor: owner,
        runId: "r1",
        baseModel: "tiny",
        hyperparameters: {},
      })
      .events();
    const lineage = training[0]?.type === "TrainingRequested" ? training[0].data.lineage : undefined;
    assert.equal(lineage?.correctionsIncluded, 1);
  });
  it("evolves: the ids kept in order, the newest dataset's corrections counted", () => {
    const state = [
      created,
      recorded({ correctionId: "a" }),
      recorded({ correctionId: "b" }),
      built(1, 2),
    ].reduce(evolveClone, initialCloneState);
    assert.deepEqual(state.correctionIds, ["a", "b"]);
    assert.equal(state.datasetCorrections, 2);
  });
  it("the owner's words are personal: erased with the clone's key, valid against the schema", () =>
    assert.deepEqual(erasedPersonalFields.CorrectionRecorded, { context: [], draft: "", ownerText: "" }));
});
