import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { MasterKey } from "../../infra/crypto/masterKey.js";
import { distributedConfig, distributedSkip } from "../../testing/platform/distributedPlatform.js";
import { GraphQLTestClient } from "../../testing/platform/graphqlClient.js";
import { PlatformProcess } from "../../testing/platform/platformProcess.js";
import { useTestBaseModels } from "../../testing/platform/testBaseModels.js";
import { ask, pieces, START } from "./previewScenario.js";
import { cloneWithDataset, finishedJob, requestTraining, standInTrainerEnv } from "./trainingScenario.js";

// The random-weight test model is not in the production catalogue: this test registers it.
useTestBaseModels();

const skip = distributedSkip("preview role split test");

/**
 * The distributed preview as operators run it: the platform's other roles in one process, the `preview`
 * role in another; the request and the reply's pieces travel over Kafka, the adapter comes from S3.
 */
describe("preview role in its own process, over Kafka and S3", { skip }, () => {
  const processes: PlatformProcess[] = [];
  let dir: string;
  after(async () => {
    await Promise.all(processes.map((p) => p.stop("SIGKILL")));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("answers from the preview process; without one the reply fails with a clear message", async () => {
    dir = await mkdtemp(join(tmpdir(), "aiclone-preview-remote-"));
    const configFile = join(dir, "platform.json");
    await writeFile(
      configFile,
      JSON.stringify(
        distributedConfig(dir, "preview", {
          extra: {
            preview: { cpu: true, threads: 1, startTimeoutSeconds: 10 },
            // The preview process opens the clones' encrypted adapters with the platform's master key.
            security: { masterKey: MasterKey.generate().base64 },
          },
        }),
      ),
    );
    const env = { ...standInTrainerEnv, STANDIN_STEP_MS: "5" };
    const platform = PlatformProcess.spawn(["--config", configFile], {
      ...env,
      AICLONE_ROLES: "api,relay,projections,pipeline,training",
    });
    processes.push(platform);
    const api = new GraphQLTestClient(
      await platform.graphqlUrl(),
      (await platform.waitFor(/API key: (\S+)/))[1]!,
    );
    const cloneId = await cloneWithDataset(api);
    const done = await finishedJob(api, await requestTraining(api, cloneId, { maxSteps: 3 }));
    assert.equal(done.status, "COMPLETED", done.error);

    // No process runs the preview role yet: the API says so once the start timeout has passed.
    const unanswered = await api.data(START, ask(cloneId, [{ role: "USER", content: "Привет!" }], 3));
    const failed = await pieces(api, unanswered.startPreviewReply.id);
    assert.equal(failed.length, 1);
    assert.match(String(failed[0]?.error), /no preview process took the reply within 10 s/);

    const preview = PlatformProcess.spawn(["--config", configFile], { ...env, AICLONE_ROLES: "preview" });
    processes.push(preview);
    await preview.waitFor(/Worker running: preview/);
    const started = await api.data(START, ask(cloneId, [{ role: "USER", content: "Привет! Как дела?" }], 3));
    const got = await pieces(api, started.startPreviewReply.id);
    const last = got.at(-1);
    assert.equal(last?.done, true);
    assert.equal(last?.error, null, String(last?.error));
    assert.ok(["STOP", "LENGTH"].includes(String(last?.finishReason)));
    assert.ok(got.map((p) => p.text).join("").length > 0);
    assert.deepEqual(
      got.map((p) => p.seq),
      got.map((_, i) => i),
    );
  });
});
