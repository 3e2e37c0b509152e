import "reflect-metadata";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { TrainingRunView } from "../../projections/views.js";
import { TrainingRunStatus } from "./cloneTypes.js";
import { installCommand, toTrainingRun } from "./mappers.js";

const run = (status: TrainingRunView["status"]): TrainingRunView => ({
  id: "r1",
  status,
  datasetVersion: 1,
  baseModel: "m",
  hyperparameters: {},
  backend: null,
  worker: null,
  attempt: 0,
  requestedAt: "2026-01-01T00:00:00.000Z",
  startedAt: null,
  finishedAt: null,
  progress: null,
  lossHistory: [],
  adapterVersion: null,
  artifactKey: null,
  metrics: null,
  error: null,
});

describe("toTrainingRun", () => {
  it("spells the one vocabulary as the schema's enum", () => {
    assert.equal(toTrainingRun("c1", run("queued")).status, TrainingRunStatus.QUEUED);
    assert.equal(toTrainingRun("c1", run("running")).status, TrainingRunStatus.RUNNING);
    assert.equal(toTrainingRun("c1", run("completed")).status, TrainingRunStatus.COMPLETED);
    assert.equal(toTrainingRun("c1", run("failed")).status, TrainingRunStatus.FAILED);
    assert.equal(toTrainingRun("c1", run("cancelled")).status, TrainingRunStatus.CANCELLED);
  });

  it("reads read-model documents projected before it (upper-case words)", () => {
    assert.equal(toTrainingRun("c1", run("COMPLETED")).status, TrainingRunStatus.COMPLETED);
    assert.equal(toTrainingRun("c1", run("QUEUED")).status, TrainingRunStatus.QUEUED);
  });
});

describe("installCommand", () => {
  const platformKey = `MCowBQYDK2VwAyEA${"A".repeat(44)}`;
  it("fetches the installer over https only when the platform is https (issue 16, item 3)", () => {
    assert.equal(
      installCommand({ publicUrl: "https://clones.example.org", platformKey }, "c1", "<INSTALL_TOKEN>"),
      `AICLONE_PLATFORM_KEY=${platformKey} bash <(curl --proto '=https' --tlsv1.2 -fsSL https://clones.example.org/install_clone.sh) --clone-id c1 --token <INSTALL_TOKEN>`,
    );
    assert.equal(
      installCommand({ publicUrl: "http://127.0.0.1:4000", platformKey }, "c1", "<INSTALL_TOKEN>"),
      `AICLONE_PLATFORM_KEY=${platformKey} bash <(curl -fsSL http://127.0.0.1:4000/install_clone.sh) --clone-id c1 --token <INSTALL_TOKEN>`,
    );
  });
});
