import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { until } from "@aiclone/testing/until";
import { MasterKey } from "../../infra/crypto/masterKey.js";
import { distributedConfig, distributedSkip } from "../../testing/platform/distributedPlatform.js";
import { GraphQLTestClient } from "../../testing/platform/graphqlClient.js";
import { PlatformProcess } from "../../testing/platform/platformProcess.js";
import { useTestBaseModels } from "../../testing/platform/testBaseModels.js";
import {
  cloneWithDataset,
  finishedJob,
  job,
  requestTraining,
  standInTrainerEnv,
} from "./trainingScenario.js";

// The random-weight test model is not in the production catalogue: this test registers it.
useTestBaseModels();

const skip = distributedSkip("remote trainer test");

/**
 * The distributed training path as operators run it: the platform (Kafka, MongoDB API, S3) with
 * training.backend remote, and `aiclone trainer worker` processes on "GPU machines" (here: this one, with
 * the stand-in trainer). One worker is SIGKILLed mid-job; another picks the job up from its checkpoint in S3.
 */
describe("remote trainer workers over Kafka and S3", { skip }, () => {
  const processes: PlatformProcess[] = [];
  let dir: string;
  after(async () => {
    await Promise.all(processes.map((p) => p.stop("SIGKILL")));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("a killed worker's job resumes on another worker from the checkpoint it uploaded", async () => {
    dir = await mkdtemp(join(tmpdir(), "aiclone-remote-training-"));
    const configFile = join(dir, "platform.json");
    await writeFile(
      configFile,
      JSON.stringify(
        distributedConfig(dir, "train", {
          extra: {
            training: { backend: "remote", heartbeatMs: 300, leaseMs: 4000 },
            // Workers on other machines open the clones' encrypted datasets with the platform's master key.
            security: { masterKey: MasterKey.generate().base64 },
          },
        }),
      ),
    );
    const env = { ...standInTrainerEnv, STANDIN_STEP_MS: "150" };
    const platform = PlatformProcess.spawn(["--config", configFile], env);
    processes.push(platform);
    const api = new GraphQLTestClient(
      await platform.graphqlUrl(),
      (await platform.waitFor(/API key: (\S+)/))[1]!,
    );
    const worker = (name: string) =>
      PlatformProcess.command(["trainer", "worker", "--config", configFile, "--device", name], {
        ...env,
        AICLONE_DATA_DIR: join(dir, name),
      });

    const cloneId = await cloneWithDataset(api);
    const id = await requestTraining(api, cloneId, { maxSteps: 40, checkpointEvery: 5 });
    const first = worker("gpu-a");
    processes.push(first);
    const firstId = (await first.waitFor(/trainer worker (\S+) waiting for jobs/))[1]!;
    await until(
      "progress past step 12 on the first worker",
      async () => ((await job(api, id)).progress?.step >= 12 ? true : undefined),
      60_000,
    );
    assert.equal((await job(api, id)).worker, firstId);
    assert.equal(await first.stop("SIGKILL"), "SIGKILL");

    const second = worker("gpu-b");
    processes.push(second);
    const secondId = (await second.waitFor(/trainer worker (\S+) waiting for jobs/))[1]!;
    const done = await finishedJob(api, id, 120_000);
    assert.equal(done.status, "COMPLETED", done.error);
    assert.equal(done.worker, secondId);
    assert.equal(done.attempt, 2);
    assert.ok(done.metrics.train.start_step >= 10, `resumed from step ${done.metrics.train.start_step}`);
    assert.equal(done.progress.step, 40);
  });
});
