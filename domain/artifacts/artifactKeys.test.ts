import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ALL_CLONES_PREFIX,
  bundleKey,
  clonePrefix,
  DATASET_FILES,
  datasetFileKey,
  datasetPrefix,
  kindPrefix,
  parseArtifactKey,
  sourceKey,
  trainingOutputKeys,
  trainingPrefix,
} from "./artifactKeys.js";

describe("artifact keys", () => {
  it("builds the layout's keys", () => {
    assert.equal(clonePrefix("c1"), "clones/c1/");
    assert.ok(clonePrefix("c1").startsWith(ALL_CLONES_PREFIX));
    assert.equal(kindPrefix("c1", "source"), "clones/c1/sources/");
    assert.equal(sourceKey("c1", "s1"), "clones/c1/sources/s1");
    assert.equal(datasetPrefix("c1", "r1"), "clones/c1/datasets/r1/");
    assert.equal(
      datasetFileKey(datasetPrefix("c1", "r1"), DATASET_FILES.stats),
      "clones/c1/datasets/r1/stats.json",
    );
    assert.equal(trainingPrefix("c1", "t1"), "clones/c1/training/t1/");
    const out = trainingOutputKeys(trainingPrefix("c1", "t1"));
    assert.equal(out.adapter, "clones/c1/training/t1/adapter.gguf");
    assert.equal(out.metrics, "clones/c1/training/t1/metrics.json");
    assert.equal(out.peft, "clones/c1/training/t1/peft/");
    assert.equal(out.checkpoints, "clones/c1/training/t1/checkpoints/");
    assert.equal(out.checkpoint(25), "clones/c1/training/t1/checkpoints/step-25/");
    assert.equal(bundleKey("c1", 3), "clones/c1/bundles/3/bundle.tar.gz");
  });

  it("parses every kind it builds back", () => {
    assert.deepEqual(parseArtifactKey(sourceKey("c1", "s1")), {
      kind: "source",
      cloneId: "c1",
      sourceId: "s1",
    });
    assert.deepEqual(parseArtifactKey(datasetFileKey(datasetPrefix("c1", "r1"), DATASET_FILES.train)), {
      kind: "dataset",
      cloneId: "c1",
      requestId: "r1",
      file: "train.jsonl",
    });
    const out = trainingOutputKeys(trainingPrefix("c1", "t1"));
    assert.deepEqual(parseArtifactKey(out.adapter), {
      kind: "training",
      cloneId: "c1",
      runId: "t1",
      file: "adapter.gguf",
      checkpoint: false,
    });
    assert.deepEqual(parseArtifactKey(`${out.peft}adapter_model.safetensors`), {
      kind: "training",
      cloneId: "c1",
      runId: "t1",
      file: "peft/adapter_model.safetensors",
      checkpoint: false,
    });
    assert.deepEqual(parseArtifactKey(`${out.checkpoint(10)}state.pt`), {
      kind: "training",
      cloneId: "c1",
      runId: "t1",
      file: "checkpoints/step-10/state.pt",
      checkpoint: true,
    });
    assert.deepEqual(parseArtifactKey(bundleKey("c1", 2)), {
      kind: "bundle",
      cloneId: "c1",
      version: "2",
      file: "bundle.tar.gz",
    });
  });

  it("keys of a kind it does not know parse as unknown, with the clone they belong to", () => {
    assert.deepEqual(parseArtifactKey("clones/c1/embeddings/e1/index.bin"), {
      kind: "unknown",
      cloneId: "c1",
      path: "embeddings/e1/index.bin",
    });
    assert.deepEqual(parseArtifactKey("clones/c1/sources"), {
      kind: "unknown",
      cloneId: "c1",
      path: "sources",
    });
    assert.deepEqual(parseArtifactKey("clones/c1/notes.txt"), {
      kind: "unknown",
      cloneId: "c1",
      path: "notes.txt",
    });
  });

  it("keys outside a clone's folder are not the layout's", () => {
    for (const key of ["clones/", "clones/c1", "other/c1/sources/s1", "clone/c1/sources/s1", ""])
      assert.equal(parseArtifactKey(key), null, key);
  });
});
