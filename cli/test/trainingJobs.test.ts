import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { after, before, describe, it } from "node:test";
import { until } from "@aiclone/testing/until";
import { x as extractTar } from "tar";
import { PlatformHarness } from "../../testing/platform/platformHarness.js";
import { useTestBaseModels } from "../../testing/platform/testBaseModels.js";
import type { TrainingJob } from "../../trainer-gateway/trainingJob.js";
import { createLogger } from "../platform/logger.js";
import { createTrainerWorker } from "../platform/training.js";
import {
  apiOf,
  cloneUpdates,
  cloneWithDataset,
  finishedJob,
  job,
  requestTraining,
  standInTrainerEnv,
} from "./trainingScenario.js";

// The random-weight test model is not in the production catalogue: this test registers it.
useTestBaseModels();

/**
 * The platform's training jobs end to end on embedded defaults: API → TrainingRequested → gateway →
 * worker → trainer subprocess → reports → TrainingStarted/Progressed/Completed → read model and
 * subscription. The trainer is a stand-in speaking train_qlora.py's protocol (fast, no torch); the real
 * trainer runs in trainingPlatform.int.test.ts.
 */
describe("training jobs through the API (local backend)", () => {
  let harness: PlatformHarness;
  let scratchDir: string;
  before(async () => {
    scratchDir = await mkdtemp(join(tmpdir(), "aiclone-training-jobs-"));
    process.env.STANDIN_STEP_MS = "30";
    harness = await PlatformHarness.start({
      ...standInTrainerEnv,
      AICLONE_TRAINING__HEARTBEAT_MS: "100",
      AICLONE_TRAINING__LEASE_MS: "2000",
    });
  });
  after(() => harness.destroy());

  it("runs a job: progress on the subscription, then TrainingCompleted with the adapter and metrics", async () => {
    const api = apiOf(harness);
    const cloneId = await cloneWithDataset(api);
    const updates = cloneUpdates(api, cloneId);
    await new Promise((r) => setTimeout(r, 200)); // the subscription is open before the request
    const id = await requestTraining(api, cloneId, { maxSteps: 12, checkpointEvery: 4 });
    const done = await finishedJob(api, id);
    assert.equal(done.status, "COMPLETED", done.error);
    assert.equal(done.cloneId, cloneId);
    assert.equal(done.backend, "local");
    assert.equal(done.attempt, 1);
    assert.equal(done.adapterVersion, 1);
    assert.equal(done.progress.step, 12);
    assert.equal(done.progress.totalSteps, 12);
    assert.ok(done.lossHistory.length >= 2, JSON.stringify(done.lossHistory));
    assert.equal(done.lossHistory.at(-1).step, 12);
    assert.deepEqual(done.metrics.eval, { perplexity: { base: 12.5, adapted: 9.75 } });
    assert.equal(done.metrics.train.losses, undefined, "the per-step losses stay out of the event");

    const statuses = await until("TRAINED on the subscription", async () => {
      const seen = updates.recorder.results.map((r) => r.data?.cloneUpdated.status);
      return seen.includes("TRAINED") ? seen : undefined;
    });
    assert.ok(statuses.includes("TRAINING_QUEUED"), statuses.join());
    assert.ok(statuses.includes("TRAINING"), statuses.join());
    const progressed = updates.recorder.results
      .map((r) => r.data?.cloneUpdated.trainingRuns.at(-1)?.progress?.step)
      .filter((s): s is number => typeof s === "number");
    assert.ok(progressed.length >= 2, `progress pushed by the subscription: ${progressed.join()}`);
    assert.deepEqual(
      progressed,
      [...progressed].sort((a, b) => a - b),
      "progress never moves backwards",
    );
    await updates.close();

    const { artifacts } = harness.platform.adapters;
    const keys: string[] = [];
    for await (const a of artifacts.list(`clones/${cloneId}/training/${id}/`))
      keys.push(a.key.split(`${id}/`)[1]!);
    assert.deepEqual(keys.sort(), ["adapter.gguf", "metrics.json", "peft/adapter_config.json"]);
    const { cloneEvents } = await api.data("query ($id: ID!) { cloneEvents(id: $id) { type } }", {
      id: cloneId,
    });
    const types = cloneEvents.map((e: { type: string }) => e.type);
    assert.ok(types.indexOf("TrainingStarted") > types.indexOf("TrainingRequested"));
    assert.ok(types.includes("TrainingProgressed"));
    assert.equal(types.at(-1), "TrainingCompleted");

    // Publishing works on embedded defaults: a base model whose file is on this machine is served by the
    // platform itself, and the bundle names that address.
    const { publishClone } = await api.data(
      "mutation ($id: ID!) { publishClone(cloneId: $id) { status publishedVersions { version } } }",
      { id: cloneId },
    );
    assert.equal(publishClone.status, "PUBLISHED");
    const manifest = await fetch(`${harness.platform.url}/clones/${cloneId}/bundles/latest/manifest`, {
      headers: { authorization: `Bearer ${harness.platform.initialApiKey}` },
    });
    assert.equal(manifest.status, 200);
    const bundle = await fetch(`${harness.platform.url}/clones/${cloneId}/bundles/1`, {
      headers: { authorization: `Bearer ${harness.platform.initialApiKey}` },
    });
    const extracted = join(scratchDir, `bundle-${cloneId}`);
    await mkdir(extracted, { recursive: true });
    await pipeline(Readable.fromWeb(bundle.body as never), extractTar({ cwd: extracted }));
    const cloneJson = JSON.parse(await readFile(join(extracted, "clone.json"), "utf8"));
    assert.equal(cloneJson.baseModel.url, `${harness.platform.url}/models/llama-2-tiny-random.gguf`);
    const model = await fetch(cloneJson.baseModel.url, { headers: { range: "bytes=0-3" } });
    assert.equal(model.status, 206);
    assert.equal(Buffer.from(await model.arrayBuffer()).toString(), "GGUF");
  });

  it("cancels a running job; the worker is free for the next one", async () => {
    const api = apiOf(harness);
    const cloneId = await cloneWithDataset(api);
    const id = await requestTraining(api, cloneId, { maxSteps: 400 });
    await until("the job to run", async () => ((await job(api, id)).progress ? true : undefined));
    const { cancelTraining } = await api.data(
      'mutation ($id: ID!) { cancelTraining(id: $id, reason: "передумала") { status error } }',
      { id },
    );
    assert.deepEqual(cancelTraining, { status: "CANCELLED", error: "передумала" });
    const { clone } = await api.data("query ($id: ID!) { clone(id: $id) { status } }", { id: cloneId });
    assert.equal(clone.status, "TRAINING_CANCELLED");
    const stepAtCancel = (await job(api, id)).progress.step;
    assert.ok(stepAtCancel < 400);

    const again = await requestTraining(api, cloneId, { maxSteps: 3 });
    assert.equal((await finishedJob(api, again)).status, "COMPLETED");
    const cancelled = await job(api, id);
    assert.equal(cancelled.status, "CANCELLED");
    assert.ok(cancelled.progress.step < 400, "the cancelled trainer was stopped");
    const repeat = await api.request("mutation ($id: ID!) { cancelTraining(id: $id) { status } }", {
      id: again,
    });
    assert.equal(repeat.errors?.[0]?.extensions?.code, "CONFLICT");
  });

  it("records a trainer failure with its reason", async () => {
    const api = apiOf(harness);
    const cloneId = await cloneWithDataset(api);
    const id = await requestTraining(api, cloneId, { maxSteps: 10, seed: 666 });
    const failed = await finishedJob(api, id);
    assert.equal(failed.status, "FAILED");
    assert.match(failed.error, /stand-in failure: out of memory at step 2/);
    const { clone } = await api.data("query ($id: ID!) { clone(id: $id) { status } }", { id: cloneId });
    assert.equal(clone.status, "TRAINING_FAILED");
  });

  it("refuses an unknown base model and bad hyperparameters before recording anything", async () => {
    const api = apiOf(harness);
    const cloneId = await cloneWithDataset(api);
    const request = (baseModel: string, hyperparameters: Record<string, unknown>) =>
      api.request("mutation ($input: RequestTrainingInput!) { requestTraining(input: $input) { status } }", {
        input: { cloneId, baseModel, hyperparameters },
      });
    const unknown = await request("gpt-5", {});
    assert.equal(unknown.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");
    assert.match(
      unknown.errors?.[0]?.message ?? "",
      /baseModel: unknown base model 'gpt-5'; known are qwen2.5-7b-instruct/,
    );
    const badRank = await request("llama-2-tiny-random", { rank: 2.5 });
    assert.match(badRank.errors?.[0]?.message ?? "", /hyperparameters\.rank: must be an integer/);
    const typo = await request("llama-2-tiny-random", { learning_rate: 0.1 });
    assert.match(typo.errors?.[0]?.message ?? "", /hyperparameters\.learning_rate: unknown/);
    const { cloneEvents } = await api.data("query ($id: ID!) { cloneEvents(id: $id) { type } }", {
      id: cloneId,
    });
    assert.ok(!cloneEvents.some((e: { type: string }) => e.type === "TrainingRequested"));
  });

  it("hides another owner's job", async () => {
    const api = apiOf(harness);
    const cloneId = await cloneWithDataset(api);
    const id = await requestTraining(api, cloneId, { maxSteps: 2 });
    await finishedJob(api, id);
    const other = await harness.platform.services.owners.createOwner("Чужой", {
      kind: "system",
      name: "test",
    });
    const stranger = api.withToken(other.token);
    assert.equal(
      (await stranger.data("query ($id: ID!) { trainingJob(id: $id) { id } }", { id })).trainingJob,
      null,
    );
    const cancel = await stranger.request("mutation ($id: ID!) { cancelTraining(id: $id) { status } }", {
      id,
    });
    assert.equal(cancel.errors?.[0]?.extensions?.code, "NOT_FOUND");
  });
});

/**
 * Remote workers: the platform runs no worker of its own; two workers take jobs from the bus. The first
 * dies mid-job (no more heartbeats); the job resumes on the second from the checkpoint the first uploaded.
 */
export async function leaseLossScenario(env: Record<string, string>): Promise<void> {
  process.env.STANDIN_STEP_MS = "60";
  const harness = await PlatformHarness.start({
    ...standInTrainerEnv,
    ...env,
    AICLONE_TRAINING__BACKEND: "remote",
    AICLONE_TRAINING__HEARTBEAT_MS: "150",
    AICLONE_TRAINING__LEASE_MS: "1500",
  });
  const logger = createLogger("silent");
  const config = { ...harness.config, dataDir: `${harness.dataDir}/worker-a` };
  const first = createTrainerWorker(config, harness.platform.adapters, logger, "remote");
  const second = createTrainerWorker(
    { ...config, dataDir: `${harness.dataDir}/worker-b` },
    harness.platform.adapters,
    logger,
    "remote",
  );
  try {
    const api = apiOf(harness);
    const cloneId = await cloneWithDataset(api);
    const id = await requestTraining(api, cloneId, { maxSteps: 30, checkpointEvery: 5 });
    await first.start();
    // Progress runs ahead of the checkpoint upload (more so with encryption on a busy machine): wait for
    // the gateway to have recorded an uploaded checkpoint, not for a step number.
    const jobs = harness.platform.adapters.documents.collection<TrainingJob>("training_jobs");
    await until(
      "an uploaded checkpoint at step 10 or later",
      async () => ((await jobs.get(id))?.checkpoint?.step ?? 0) >= 10 || undefined,
      30_000,
    );
    const before = await job(api, id);
    assert.equal(before.worker, first.workerId);
    await first.crash();
    await second.start();
    const done = await finishedJob(api, id, 60_000);
    assert.equal(done.status, "COMPLETED", done.error);
    assert.equal(done.attempt, 2);
    assert.equal(done.worker, second.workerId);
    assert.equal(done.backend, "remote");
    const resumedFrom = done.metrics.train.start_step;
    assert.ok(
      resumedFrom >= 10,
      `resumed from the uploaded checkpoint, not from zero (start_step ${resumedFrom})`,
    );
    const { cloneEvents } = await api.data("query ($id: ID!) { cloneEvents(id: $id) { type data } }", {
      id: cloneId,
    });
    const starts = cloneEvents
      .filter((e: { type: string }) => e.type === "TrainingStarted")
      .map((e: { data: any }) => [e.data.worker, e.data.attempt]);
    assert.deepEqual(starts, [
      [first.workerId, 1],
      [second.workerId, 2],
    ]);
  } finally {
    await second.stop();
    await harness.destroy();
  }
}

describe("training jobs on remote workers (in-process bus)", () => {
  it("a worker that stops sending heartbeats loses its lease; the job resumes elsewhere from its checkpoint", () =>
    leaseLossScenario({}));
});
