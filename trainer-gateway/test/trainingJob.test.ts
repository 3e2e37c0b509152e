import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { finish, fromStored, isFinished, type TrainingJob } from "../trainingJob.js";

const job = (state: string): TrainingJob =>
  ({
    _id: "r1",
    cloneId: "c1",
    state,
    baseModel: "m",
    hyperparameters: {},
    datasetPrefix: "d/",
    outputPrefix: "o/",
    attempt: 1,
    workerId: null,
    backend: null,
    leaseExpiresAt: null,
    checkpoint: null,
    startRecorded: true,
    lastStep: 0,
    causationId: "e1",
    correlationId: null,
    reason: null,
    createdAt: 0,
    updatedAt: 0,
  }) as TrainingJob;

describe("training job record", () => {
  it("reads a job stored as succeeded (before the one vocabulary) as completed and finished", () => {
    const read = fromStored(job("succeeded"));
    assert.equal(read.state, "completed");
    assert.equal(isFinished(read), true);
  });

  it("keeps current states as they are", () => {
    for (const state of ["queued", "running", "completed", "failed", "cancelled"])
      assert.equal(fromStored(job(state)).state, state);
    assert.equal(isFinished(job("running")), false);
    assert.equal(finish(job("running"), "completed", 5).state, "completed");
  });
});
