import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Actor } from "../decider.js";
import { scenario } from "../test/givenWhenThen.js";
import type { CloneCommand } from "./commands.js";
import { cloneDecider } from "./decide.js";
import type { CloneEvent, TrainingLineage } from "./events.js";
import { evolveClone } from "./evolve.js";
import { initialCloneState } from "./state.js";

const cloneId = "c1";
const owner: Actor = { kind: "owner", ownerId: "o1" };
const stranger: Actor = { kind: "owner", ownerId: "o2" };
const sha = "b".repeat(64);
const given = scenario(cloneDecider);
const stats = { conversations: 3, samples: 20, ownerMessages: 40, droppedMessages: 2 };

const created: CloneEvent = { type: "CloneCreated", data: { cloneId, ownerId: "o1", name: "Аня" } };
const uploaded = (sourceId: string): CloneEvent => ({
  type: "SourceUploaded",
  data: {
    cloneId,
    sourceId,
    fileName: `${sourceId}.json`,
    size: 10,
    sha256: sha,
    artifactKey: `src/${sourceId}`,
  },
});
const built = (version: number, sourceIds: string[]): CloneEvent => ({
  type: "DatasetBuilt",
  data: { cloneId, version, sourceIds, artifactKey: `d${version}`, stats },
});
const requested = (
  runId: string,
  datasetVersion: number,
  baseModel: string,
  lineage: TrainingLineage,
): CloneEvent => ({
  type: "TrainingRequested",
  data: {
    cloneId,
    runId,
    datasetVersion,
    datasetArtifactKey: `d${datasetVersion}`,
    baseModel,
    hyperparameters: {},
    lineage,
  },
});
const trained = (runId: string, adapterVersion: number): CloneEvent[] => [
  { type: "TrainingStarted", data: { cloneId, runId, backend: "local", attempt: 1 } },
  {
    type: "TrainingCompleted",
    data: {
      cloneId,
      runId,
      adapterVersion,
      artifactKey: `clones/c1/training/${runId}/adapter.gguf`,
      metrics: {},
    },
  },
];
const published = (version: number, adapterVersion: number): CloneEvent => ({
  type: "ClonePublished",
  data: { cloneId, version, adapterVersion, artifactKey: `b${version}`, sha256: sha, size: 99 },
});
const fresh = (sourceIds: string[]): TrainingLineage => ({ sourceIds, correctionsIncluded: 0, parent: null });

/** v1 trained fresh on dataset 1 (source s1), on the tiny model. */
const v1History: CloneEvent[] = [
  created,
  uploaded("s1"),
  built(1, ["s1"]),
  requested("r1", 1, "tiny", fresh(["s1"])),
  ...trained("r1", 1),
];

const request = (
  runId: string,
  rest: Partial<Extract<CloneCommand, { type: "RequestTraining" }>> = {},
  actor = owner,
) =>
  ({
    type: "RequestTraining",
    cloneId,
    actor,
    runId,
    baseModel: "tiny",
    hyperparameters: {},
    ...rest,
  }) as CloneCommand;

describe("training lineage", () => {
  it("records a fresh run's dataset version, sources, corrections and base model", () =>
    given([created, uploaded("s1"), uploaded("s2"), built(1, ["s1", "s2"])])
      .when(request("r1"))
      .then([requested("r1", 1, "tiny", fresh(["s1", "s2"]))]));

  it("records the parent adapter of a continued run and the newer dataset's sources", () =>
    given([...v1History, uploaded("s2"), built(2, ["s1", "s2"])])
      .when(request("r2", { parentAdapterVersion: 1 }))
      .then([
        requested("r2", 2, "tiny", {
          sourceIds: ["s1", "s2"],
          correctionsIncluded: 0,
          parent: { adapterVersion: 1, artifactKey: "clones/c1/training/r1/adapter.gguf" },
        }),
      ]));

  it("refuses to continue from an adapter trained on another base model, naming both", () =>
    given(v1History)
      .when(request("r2", { parentAdapterVersion: 1, baseModel: "smollm2-135m-instruct" }))
      .thenRefused("CONFLICT", /trained on base model 'tiny'.*same base model, not 'smollm2-135m-instruct'/));

  it("refuses a parent version that does not exist", () => {
    given(v1History)
      .when(request("r2", { parentAdapterVersion: 2 }))
      .thenRefused("CONFLICT", "versions 1 to 1");
    given([created, uploaded("s1"), built(1, ["s1"])])
      .when(request("r1", { parentAdapterVersion: 1 }))
      .thenRefused("CONFLICT", "no training has completed yet");
    given(v1History)
      .when(request("r2", { parentAdapterVersion: 0 }))
      .thenRefused("INVALID", "parentAdapterVersion");
  });

  it("refuses another owner's clone as missing", () =>
    given(v1History)
      .when(request("r2", { parentAdapterVersion: 1 }, stranger))
      .thenRefused("NOT_FOUND", "does not exist"));

  it("keeps every adapter with its base model and parent in the state", () => {
    const history = [
      ...v1History,
      requested("r2", 1, "tiny", { ...fresh(["s1"]), parent: { adapterVersion: 1, artifactKey: "x" } }),
      ...trained("r2", 2),
    ];
    const state = history.reduce(evolveClone, initialCloneState);
    assert.deepEqual(
      state.adapters.map((a) => [a.version, a.runId, a.baseModel, a.parentAdapterVersion]),
      [
        [1, "r1", "tiny", null],
        [2, "r2", "tiny", 1],
      ],
    );
    assert.deepEqual(state.datasetSourceIds, ["s1"]);
  });
});

describe("publishing a chosen version and going back", () => {
  const twoAdapters = [
    ...v1History,
    requested("r2", 1, "tiny", { ...fresh(["s1"]), parent: { adapterVersion: 1, artifactKey: "x" } }),
    ...trained("r2", 2),
  ];
  const publish = (version: number, adapterVersion?: number) =>
    ({
      type: "PublishClone",
      cloneId,
      actor: owner,
      version,
      artifactKey: `b${version}`,
      sha256: sha,
      size: 99,
      ...(adapterVersion === undefined ? {} : { adapterVersion }),
    }) as CloneCommand;
  const select = (version: number, actor = owner) =>
    ({ type: "SelectPublishedVersion", cloneId, actor, version }) as CloneCommand;

  it("publishes the newest adapter by default and a chosen earlier one on request", () => {
    given(twoAdapters)
      .when(publish(1))
      .then([published(1, 2)]);
    given(twoAdapters)
      .when(publish(1, 1))
      .then([published(1, 1)]);
  });

  it("refuses an adapter version that does not exist", () =>
    given(twoAdapters).when(publish(1, 3)).thenRefused("CONFLICT", "versions 1 to 2"));

  it("goes back to an earlier bundle, which `latest` then names until the next publish", () => {
    const history = [...twoAdapters, published(1, 1), published(2, 2)];
    given(history)
      .when(select(1))
      .then([{ type: "PublishedVersionSelected", data: { cloneId, version: 1, adapterVersion: 1 } }]);
    const back: CloneEvent = {
      type: "PublishedVersionSelected",
      data: { cloneId, version: 1, adapterVersion: 1 },
    };
    const state = [...history, back].reduce(evolveClone, initialCloneState);
    assert.equal(state.currentPublishedVersion, 1);
    assert.equal(state.publishedVersion, 2);
    assert.equal(state.status, "PUBLISHED");
    given([...history, back])
      .when(select(1))
      .then([]); // already current
    given([...history, back])
      .when(publish(3, 2))
      .then([published(3, 2)]);
    assert.equal(
      [...history, back, published(3, 2)].reduce(evolveClone, initialCloneState).currentPublishedVersion,
      3,
    );
  });

  it("refuses a bundle version that was never published, and another owner", () => {
    given(twoAdapters).when(select(1)).thenRefused("CONFLICT", "nothing has been published yet");
    given([...twoAdapters, published(1, 1)])
      .when(select(2))
      .thenRefused("CONFLICT", "versions 1 to 1");
    given([...twoAdapters, published(1, 1)])
      .when(select(0))
      .thenRefused("INVALID", "version");
    given([...twoAdapters, published(1, 1)])
      .when(select(1, stranger))
      .thenRefused("NOT_FOUND", "does not exist");
  });
});
