import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Actor } from "../decider.js";
import { scenario } from "../test/givenWhenThen.js";
import type { CloneCommand } from "./commands.js";
import { cloneDecider } from "./decide.js";
import type { CloneEvent } from "./events.js";
import { evolveClone } from "./evolve.js";
import { initialCloneState } from "./state.js";

const cloneId = "c1";
const owner: Actor = { kind: "owner", ownerId: "o1" };
const stranger: Actor = { kind: "owner", ownerId: "o2" };
const given = scenario(cloneDecider);
const stats = { conversations: 3, samples: 20, ownerMessages: 40, droppedMessages: 2 };

const created: CloneEvent = { type: "CloneCreated", data: { cloneId, ownerId: "o1", name: "Аня" } };
const built: CloneEvent = {
  type: "DatasetBuilt",
  data: { cloneId, version: 1, sourceIds: ["s1"], artifactKey: "clones/c1/datasets/1", stats },
};
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
const trained = [created, built, requested, started, completed];
const drawn = (trialId: string, realCandidate: "a" | "b" = "b"): CloneEvent => ({
  type: "BlindTrialDrawn",
  data: { cloneId, trialId, adapterVersion: 1, datasetVersion: 1, sampleIndex: 3, realCandidate },
});
const draw = (over: Partial<Extract<CloneCommand, { type: "DrawBlindTrial" }>> = {}): CloneCommand => ({
  type: "DrawBlindTrial",
  cloneId,
  actor: owner,
  trialId: "t1",
  adapterVersion: 1,
  sampleIndex: 3,
  realCandidate: "b",
  ...over,
});
const answer = (choice: "a" | "b" | "cant_tell", trialId = "t1", actor = owner): CloneCommand => ({
  type: "AnswerBlindTrial",
  cloneId,
  actor,
  trialId,
  choice,
});

describe("blind test decider", () => {
  it("draws a trial for a trained adapter version, with its dataset version", () =>
    given(trained)
      .when(draw())
      .then([drawn("t1")]));
  it("refuses a version that is not trained (none yet, or a later one)", () => {
    given([created, built]).when(draw()).thenRefused("CONFLICT", "no training has completed yet");
    given(trained)
      .when(draw({ adapterVersion: 2 }))
      .thenRefused("CONFLICT", "versions 1 to 1");
  });
  it("refuses another owner's clone as missing", () =>
    given(trained)
      .when(draw({ actor: stranger }))
      .thenRefused("NOT_FOUND", "does not exist"));
  it("refuses a trial id drawn before and a negative sample index", () => {
    given([...trained, drawn("t1")])
      .when(draw())
      .thenRefused("CONFLICT", "already exists");
    given(trained)
      .when(draw({ sampleIndex: -1 }))
      .thenRefused("INVALID", "sampleIndex");
  });
  it("refuses more than 20 unanswered trials", () => {
    const open = Array.from({ length: 20 }, (_, i) => drawn(`t${i + 10}`));
    given([...trained, ...open])
      .when(draw())
      .thenRefused("CONFLICT", "unanswered");
  });
  it("scores the answer: the real candidate, the clone's, or can't tell", () => {
    const answered = (
      choice: "a" | "b" | "cant_tell",
      outcome: "real" | "clone" | "cant_tell",
    ): CloneEvent => ({
      type: "BlindTrialAnswered",
      data: { cloneId, trialId: "t1", adapterVersion: 1, choice, outcome, realCandidate: "b" },
    });
    given([...trained, drawn("t1", "b")])
      .when(answer("b"))
      .then([answered("b", "real")]);
    given([...trained, drawn("t1", "b")])
      .when(answer("a"))
      .then([answered("a", "clone")]);
    given([...trained, drawn("t1", "b")])
      .when(answer("cant_tell"))
      .then([answered("cant_tell", "cant_tell")]);
  });
  it("refuses answering twice", () => {
    const events = given([...trained, drawn("t1")])
      .when(answer("a"))
      .events();
    given([...trained, drawn("t1"), ...events])
      .when(answer("b"))
      .thenRefused("CONFLICT", "already answered");
  });
  it("refuses a trial of another clone (not in this clone's stream) as missing", () =>
    given([...trained, drawn("t1")])
      .when(answer("a", "t-other"))
      .thenRefused("NOT_FOUND", "t-other"));
  it("refuses another owner's answer as missing", () =>
    given([...trained, drawn("t1")])
      .when(answer("a", "t1", stranger))
      .thenRefused("NOT_FOUND", "does not exist"));
  it("evolves: a drawn trial is open, an answered one is closed; the adapter keeps its dataset", () => {
    const events: CloneEvent[] = [
      ...trained,
      drawn("t1", "a"),
      {
        type: "BlindTrialAnswered",
        data: { cloneId, trialId: "t1", adapterVersion: 1, choice: "a", outcome: "real", realCandidate: "a" },
      },
      drawn("t2"),
    ];
    const state = events.reduce(evolveClone, initialCloneState);
    assert.deepEqual(state.blindTrials, [
      { trialId: "t1", adapterVersion: 1, realCandidate: "a", answered: true },
      { trialId: "t2", adapterVersion: 1, realCandidate: "b", answered: false },
    ]);
    assert.equal(state.adapters[0]?.datasetArtifactKey, "clones/c1/datasets/1");
    assert.equal(state.adapters[0]?.datasetVersion, 1);
    assert.equal(state.status, "TRAINED");
  });
});
