import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkHyperparameters, trainerFlags } from "../hyperparameters.js";
import { preferenceHyperparameters } from "../trainerWorker.js";
import { checkTrainingRequest } from "../trainingRequest.js";

describe("hyperparameter names", () => {
  for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"]) {
    it(`refuses '${name}', a name that only Object.prototype knows`, () => {
      // JSON.parse makes "__proto__" an own key, as a GraphQL JSON argument does.
      const values = JSON.parse(`{"${name}": 5}`) as Record<string, number>;
      const problem = checkHyperparameters(values);
      assert.equal(problem?.field, `hyperparameters.${name}`);
      assert.match(problem?.message ?? "", /^unknown; known are /);
      assert.equal(checkTrainingRequest("smollm2-135m-instruct", values)?.field, `hyperparameters.${name}`);
      assert.throws(() => trainerFlags(values), /unknown hyperparameter/);
    });
  }

  it("still accepts the trainer's own names", () => {
    assert.equal(checkHyperparameters({ epochs: 1, cpu: true }), null);
    assert.deepEqual(trainerFlags({ epochs: 1, cpu: true }), ["--epochs", "1", "--cpu"]);
  });
});

describe("the preference objective's hyperparameters", () => {
  it("become the trainer's --preference flags", () => {
    const values = { preference: "dpo", preferenceMinPairs: 4, preferenceBeta: 0.2 };
    assert.equal(checkHyperparameters(values), null);
    assert.deepEqual(trainerFlags(values), [
      "--preference",
      "dpo",
      "--preference-min-pairs",
      "4",
      "--preference-beta",
      "0.2",
    ]);
  });

  it("refuses an objective the trainer does not know, and bounds the others", () => {
    assert.deepEqual(checkHyperparameters({ preference: "ppo" }), {
      field: "hyperparameters.preference",
      message: "must be one of dpo, orpo, off",
    });
    assert.equal(checkHyperparameters({ preference: 1 })?.field, "hyperparameters.preference");
    assert.equal(
      checkHyperparameters({ preferenceMinPairs: 0 })?.field,
      "hyperparameters.preferenceMinPairs",
    );
    assert.equal(
      checkHyperparameters({ preferenceMinPairs: 2.5 })?.field,
      "hyperparameters.preferenceMinPairs",
    );
    assert.equal(checkHyperparameters({ preferenceBeta: 0 })?.field, "hyperparameters.preferenceBeta");
  });
});

describe("the configured preference objective", () => {
  it("becomes hyperparameters, which a job's own values override when spread after them", () => {
    assert.deepEqual(preferenceHyperparameters(undefined), {});
    const defaults = preferenceHyperparameters({ objective: "orpo", minPairs: 8, beta: 0.05 });
    assert.deepEqual(defaults, { preference: "orpo", preferenceMinPairs: 8, preferenceBeta: 0.05 });
    assert.equal(checkHyperparameters(defaults), null);
    assert.deepEqual(trainerFlags({ ...defaults, preference: "off" }).slice(0, 2), ["--preference", "off"]);
    assert.deepEqual(preferenceHyperparameters({ objective: "dpo", minPairs: 3 }), {
      preference: "dpo",
      preferenceMinPairs: 3,
    });
  });
});
