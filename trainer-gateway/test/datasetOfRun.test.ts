import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CloneEventData } from "../../domain/index.js";
import type { EventStore, RecordedEvent } from "../../infra/eventstore/eventStore.js";
import { datasetPrefixOf, parentPeftPrefixOf } from "../datasetOfRun.js";

const built = (version: number, artifactKey: string): RecordedEvent => ({
  id: `e${version}`,
  streamId: "clone-c1",
  revision: version,
  position: String(version),
  type: "DatasetBuilt",
  data: {
    cloneId: "c1",
    version,
    sourceIds: ["s1"],
    artifactKey,
    stats: { conversations: 1, samples: 1, ownerMessages: 1, droppedMessages: 0 },
  },
  metadata: { principal: "worker:pipeline", timestamp: "2026-01-01T00:00:00.000Z" },
});

function storeOf(events: RecordedEvent[]) {
  const store = {
    reads: 0,
    async *readStream(streamId: string) {
      store.reads++;
      for (const event of events) if (event.streamId === streamId) yield event;
    },
  };
  return store satisfies Pick<EventStore, "readStream">;
}

const request = (extra: Partial<CloneEventData<"TrainingRequested">> = {}) => ({
  cloneId: "c1",
  runId: "r1",
  datasetVersion: 2,
  baseModel: "m",
  hyperparameters: {},
  ...extra,
});

describe("the dataset of a training run", () => {
  const stream = [built(1, "clones/c1/datasets/q1"), built(2, "clones/c1/datasets/q2")];

  it("comes from TrainingRequested when it carries it: the stream is not read", async () => {
    const store = storeOf(stream);
    assert.equal(
      await datasetPrefixOf(store, request({ datasetArtifactKey: "clones/c1/datasets/q2" })),
      "clones/c1/datasets/q2",
    );
    assert.equal(store.reads, 0);
  });

  it("is looked up by version for a request recorded before events carried it", async () => {
    const store = storeOf(stream);
    assert.equal(await datasetPrefixOf(store, request()), "clones/c1/datasets/q2");
    assert.equal(await datasetPrefixOf(store, request({ datasetVersion: 1 })), "clones/c1/datasets/q1");
    assert.equal(store.reads, 2);
    await assert.rejects(datasetPrefixOf(store, request({ datasetVersion: 3 })), /no dataset version 3/);
  });
});

describe("the parent adapter of a continued run", () => {
  it("is the PEFT folder beside the parent's adapter.gguf; none for a fresh run or an event without lineage", () => {
    const parent = { adapterVersion: 1, artifactKey: "clones/c1/training/r0/adapter.gguf" };
    assert.equal(
      parentPeftPrefixOf(request({ lineage: { sourceIds: ["s1"], correctionsIncluded: 0, parent } })),
      "clones/c1/training/r0/peft/",
    );
    assert.equal(
      parentPeftPrefixOf(request({ lineage: { sourceIds: ["s1"], correctionsIncluded: 0, parent: null } })),
      null,
    );
    assert.equal(parentPeftPrefixOf(request()), null);
  });

  it("refuses a parent key that is no adapter", () =>
    assert.throws(
      () =>
        parentPeftPrefixOf(
          request({
            lineage: {
              sourceIds: [],
              correctionsIncluded: 0,
              parent: { adapterVersion: 1, artifactKey: "x/y.bin" },
            },
          }),
        ),
      /no PEFT folder beside x\/y\.bin/,
    ));
});
