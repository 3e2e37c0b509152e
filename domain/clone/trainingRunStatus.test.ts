import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  isTrainingRunActive,
  isTrainingRunFinished,
  trainingRunStatuses,
  trainingRunStatusOf,
} from "./trainingRunStatus.js";

describe("training run status", () => {
  it("reads every status of the one vocabulary as itself", () => {
    for (const status of trainingRunStatuses) assert.equal(trainingRunStatusOf(status), status);
  });

  it("reads the old words stored before the one vocabulary", () => {
    assert.equal(trainingRunStatusOf("requested"), "queued");
    assert.equal(trainingRunStatusOf("succeeded"), "completed");
    assert.equal(trainingRunStatusOf("QUEUED"), "queued");
    assert.equal(trainingRunStatusOf("RUNNING"), "running");
    assert.equal(trainingRunStatusOf("COMPLETED"), "completed");
    assert.equal(trainingRunStatusOf("FAILED"), "failed");
    assert.equal(trainingRunStatusOf("CANCELLED"), "cancelled");
  });

  it("refuses anything else, naming it", () => {
    assert.throws(() => trainingRunStatusOf("done"), /unknown training run status: done/);
    assert.throws(() => trainingRunStatusOf("toString"), /unknown training run status/);
  });

  it("counts queued and running as active, the rest as finished", () => {
    assert.deepEqual(trainingRunStatuses.filter(isTrainingRunActive), ["queued", "running"]);
    assert.deepEqual(trainingRunStatuses.filter(isTrainingRunFinished), ["completed", "failed", "cancelled"]);
  });
});
