import assert from "node:assert/strict";
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { after, before, describe, it } from "node:test";
import { sharedDataDir } from "@aiclone/testing/sharedData";
import { until } from "@aiclone/testing/until";
import { getLlama } from "node-llama-cpp";
import { PlatformHarness } from "../../testing/platform/platformHarness.js";
import { useTestBaseModels } from "../../testing/platform/testBaseModels.js";
import { terseTelegramExport } from "./telegramExportFixture.js";
import {
  apiOf,
  cloneUpdates,
  cloneWithDataset,
  finishedJob,
  job,
  requestTraining,
} from "./trainingScenario.js";

// The random-weight test model is not in the production catalogue: this test registers it.
useTestBaseModels();

/**
 * Issue 5's "done means" through the platform on embedded defaults with the real Python trainer: a clone
 * goes TrainingRequested → progress pushed by the subscription → TrainingCompleted, and the adapter it
 * produced is a GGUF LoRA that llama.cpp applies to the base model.
 */
describe("training through the platform with the real trainer (tiny model, CPU)", () => {
  let harness: PlatformHarness;
  let scratch: string;
  /** The clone the first test trained (adapter v1): the second continues from it. */
  let trained: { cloneId: string; runId: string } | undefined;
  before(async () => {
    harness = await PlatformHarness.start({ AICLONE_TRAINING__HEARTBEAT_MS: "1000" });
    scratch = await mkdtemp(join(tmpdir(), "aiclone-train-platform-"));
  });
  after(async () => {
    await harness.destroy();
    await rm(scratch, { recursive: true, force: true });
  });

  it("requests, follows and completes a training run; the adapter loads in node-llama-cpp", async () => {
    const api = apiOf(harness);
    const cloneId = await cloneWithDataset(api, { content: terseTelegramExport(), owner: "Alice" });
    const updates = cloneUpdates(api, cloneId);
    await new Promise((r) => setTimeout(r, 200));
    const id = await requestTraining(api, cloneId, {
      maxSteps: 4,
      evalPrompts: 2,
      evalNewTokens: 8,
      cpu: true,
    });
    // The first run installs the trainer's venv when missing (minutes), then converts the tokenizer.
    const done = await finishedJob(api, id, 20 * 60_000);
    assert.equal(done.status, "COMPLETED", done.error);
    assert.equal(done.progress.step, 4);
    assert.equal(done.lossHistory.length >= 1, true);
    const perplexity = done.metrics.eval.perplexity;
    assert.ok(
      perplexity.base.perplexity > 1 && perplexity.adapted.perplexity > 1,
      JSON.stringify(perplexity),
    );
    const fidelity = done.metrics.fidelity;
    assert.equal(fidelity?.measuredWith, "runtime", JSON.stringify(fidelity));
    assert.ok(fidelity.modes.context.owner.style, "the owner's style profile is in the report");
    assert.ok(fidelity.samples.length >= 1, "side-by-side samples in the report");
    assert.ok(fidelity.soundsLikeYou.score >= 0 && fidelity.soundsLikeYou.score <= 1);

    const running = await until("progress on the subscription", async () => {
      const steps = updates.recorder.results
        .map((r) => r.data?.cloneUpdated.trainingRuns.at(-1)?.progress?.step)
        .filter((s) => typeof s === "number");
      return steps.length ? steps : undefined;
    });
    assert.ok(running.length >= 1);
    await updates.close();

    const { artifacts } = harness.platform.adapters;
    const adapterPath = join(scratch, "adapter.gguf");
    await pipeline(
      await artifacts.get(`clones/${cloneId}/training/${id}/adapter.gguf`),
      createWriteStream(adapterPath),
    );
    assert.equal((await readFile(adapterPath)).subarray(0, 4).toString(), "GGUF");
    const metrics = JSON.parse(
      await new Response(
        (await artifacts.get(`clones/${cloneId}/training/${id}/metrics.json`)) as unknown as ReadableStream,
      ).text(),
    );
    assert.equal(metrics.train.steps, 4);

    const llama = await getLlama({ gpu: false });
    const model = await llama.loadModel({
      modelPath: join(sharedDataDir(), "models", "llama-2-tiny-random.gguf"),
    });
    const context = await model.createContext({
      contextSize: 256,
      lora: { adapters: [{ filePath: adapterPath }] },
    });
    assert.ok(context.contextSize > 0);
    await context.dispose();
    await model.dispose();
    await llama.dispose();
    trained = { cloneId, runId: id };
  });

  it("continues v2 from v1: the trainer starts from v1's weights, handed over through the artifact store", async (t) => {
    if (!trained) return t.skip("the first run did not complete");
    const api = apiOf(harness);
    const v1 = await job(api, trained.runId);
    // A learning rate too small to move anything: v2's held-out loss is then exactly where v1 ended.
    const { requestTraining } = await api.data(
      `mutation ($input: RequestTrainingInput!) { requestTraining(input: $input) { trainingRuns { id } } }`,
      {
        input: {
          cloneId: trained.cloneId,
          continueFrom: 1,
          hyperparameters: { maxSteps: 1, learningRate: 1e-8, evalPrompts: 2, evalNewTokens: 8, cpu: true },
        },
      },
    );
    const v2 = await finishedJob(api, requestTraining.trainingRuns.at(-1).id, 20 * 60_000);
    assert.equal(v2.status, "COMPLETED", v2.error);
    assert.equal(v2.adapterVersion, 2);
    assert.equal(v2.metrics.init_adapter.rank, v1.metrics.config.rank, "the parent's rank");
    const nll = (run: typeof v1) => run.metrics.eval.perplexity.adapted.mean_nll as number;
    assert.ok(Math.abs(nll(v2) - nll(v1)) < 1e-4, `v2 starts where v1 ended: ${nll(v2)} vs ${nll(v1)}`);
  });
});
