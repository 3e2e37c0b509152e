import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type TrainerMachine, trainability } from "../trainability.js";

const GiB = 1024 ** 3;
const cpuOnly: TrainerMachine = { backend: "local", cudaMemoryBytes: null, memoryBytes: 8 * GiB };
const withGpu = (gib: number): TrainerMachine => ({ ...cpuOnly, cudaMemoryBytes: gib * GiB });
const model = (parameters: number | undefined, testOnly = false) => ({ parameters, testOnly });

describe("trainability: can this platform's trainer train a base model", () => {
  it("a small model trains on the CPU; a 7B model needs a GPU there", () => {
    assert.deepEqual(trainability(model(135e6), cpuOnly), {
      trainableHere: true,
      reason: null,
      requiredMemoryBytes: Math.round(135e6 * 8 + GiB),
    });
    const big = trainability(model(7.6e9), cpuOnly);
    assert.equal(big.trainableHere, false);
    assert.equal(big.reason, "NEEDS_GPU");
  });

  it("on the CPU the machine's memory must hold the model's fp32 training", () => {
    const small = { ...cpuOnly, memoryBytes: 2 * GiB };
    assert.equal(trainability(model(500e6), small).reason, "NOT_ENOUGH_MEMORY");
    assert.equal(trainability(model(100e6), small).trainableHere, true);
  });

  it("with a GPU, a 4-bit QLoRA run must fit its memory", () => {
    assert.equal(trainability(model(7.6e9), withGpu(24)).trainableHere, true);
    const tight = trainability(model(7.6e9), withGpu(6));
    assert.equal(tight.trainableHere, false);
    assert.equal(tight.reason, "NOT_ENOUGH_MEMORY");
    assert.ok((tight.requiredMemoryBytes ?? 0) > 6 * GiB);
  });

  it("remote GPU workers, test models and models of unknown size are not refused here", () => {
    assert.equal(trainability(model(7.6e9), { ...cpuOnly, backend: "remote" }).trainableHere, true);
    assert.equal(trainability(model(undefined), cpuOnly).trainableHere, true);
    assert.equal(trainability(model(undefined), cpuOnly).requiredMemoryBytes, null);
    assert.equal(trainability(model(7.6e9, true), cpuOnly).trainableHere, true);
  });
});
