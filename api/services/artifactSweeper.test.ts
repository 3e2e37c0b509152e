import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, beforeEach, describe, it } from "node:test";
import {
  bundleKey,
  DATASET_FILES,
  datasetFileKey,
  datasetPrefix,
  sourceKey,
  trainingOutputKeys,
  trainingPrefix,
} from "../../domain/index.js";
import { LocalArtifactStore } from "../../infra/blobstore/localArtifactStore.js";
import type { ReadModels } from "../../projections/readModels.js";
import type { CloneView } from "../../projections/views.js";
import { ArtifactSweeper } from "./artifactSweeper.js";

function cloneView(id: string, fields: Partial<CloneView> = {}): CloneView {
  return {
    _id: id,
    _rev: 1,
    ownerId: "owner",
    name: id,
    status: "CREATED" as CloneView["status"],
    deleted: false,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    persona: null,
    sources: [],
    datasets: [],
    datasetError: null,
    datasetRequest: null,
    trainingRuns: [],
    published: [],
    ...fields,
  };
}

const modelsOf = (views: CloneView[]) =>
  ({
    clones: { get: async (id: string) => views.find((v) => v._id === id) ?? null },
  }) as unknown as ReadModels;

describe("ArtifactSweeper", () => {
  const stores: LocalArtifactStore[] = [];
  let dir: string;
  let artifacts: LocalArtifactStore;
  const put = (key: string) => artifacts.put(key, Readable.from([Buffer.from(key)]));

  beforeEach(async () => {
    dir ??= await mkdtemp(join(tmpdir(), "sweeper-"));
    artifacts = new LocalArtifactStore(join(dir, String(stores.length)));
    stores.push(artifacts);
  });
  after(async () => {
    for (const store of stores) await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps what a live clone's history accounts for and removes the rest", async () => {
    const run = trainingOutputKeys(trainingPrefix("live", "run1"));
    const kept = [
      sourceKey("live", "s1"),
      datasetFileKey(datasetPrefix("live", "r1"), DATASET_FILES.train),
      run.adapter,
      bundleKey("live", 1),
    ];
    const removed = [
      sourceKey("live", "unrecorded"),
      `${run.checkpoint(10)}state.pt`,
      bundleKey("live", 2),
      sourceKey("deleted", "s1"),
      sourceKey("unknown-clone", "s1"),
    ];
    for (const key of [...kept, ...removed]) await put(key);
    const views = [
      cloneView("live", {
        sources: [
          {
            id: "s1",
            fileName: "a.zip",
            size: 1,
            sha256: "x",
            contentType: null,
            uploadedAt: "2026-01-01T00:00:00.000Z",
            purged: false,
            inspection: null,
          },
        ],
        datasets: [
          {
            version: 1,
            sourceIds: ["s1"],
            artifactKey: datasetPrefix("live", "r1"),
            builtAt: "2026-01-01T00:00:00.000Z",
            stats: {} as CloneView["datasets"][number]["stats"],
          },
        ],
        trainingRuns: [{ id: "run1", status: "COMPLETED" } as CloneView["trainingRuns"][number]],
        published: [{ version: 1, artifactKey: bundleKey("live", 1) } as CloneView["published"][number]],
      }),
      cloneView("deleted", { deleted: true }),
    ];
    const report = await new ArtifactSweeper(modelsOf(views), artifacts).sweep({ minAgeMs: 0 });
    assert.deepEqual(report.orphans.sort(), [...removed].sort());
    for (const key of kept) assert.ok(await artifacts.stat(key), `${key} kept`);
    for (const key of removed) assert.equal(await artifacts.stat(key), null, `${key} removed`);
  });

  it("keeps keys of a kind it does not know under a live clone; removes them under a deleted one", async () => {
    const unknownLive = "clones/live2/embeddings/e1/index.bin";
    const unknownDeleted = "clones/gone2/embeddings/e1/index.bin";
    await put(unknownLive);
    await put(unknownDeleted);
    const views = [cloneView("live2"), cloneView("gone2", { deleted: true })];
    const report = await new ArtifactSweeper(modelsOf(views), artifacts).sweep({ minAgeMs: 0 });
    assert.deepEqual(report.orphans, [unknownDeleted]);
    assert.ok(await artifacts.stat(unknownLive));
    assert.equal(await artifacts.stat(unknownDeleted), null);
  });
});
