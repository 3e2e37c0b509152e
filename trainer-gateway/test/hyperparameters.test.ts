import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkHyperparameters, trainerFlags } from "../hyperparameters.js";
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
