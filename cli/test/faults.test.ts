import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { until } from "@aiclone/testing/until";
import { GraphQLTestClient } from "../../testing/platform/graphqlClient.js";
import { PlatformProcess } from "../../testing/platform/platformProcess.js";
import { useTestBaseModels } from "../../testing/platform/testBaseModels.js";
import { cloneWithDataset, finishedJob, requestTraining, standInTrainerEnv } from "./trainingScenario.js";

// The random-weight test model is not in the production catalogue: this test registers it.
useTestBaseModels();

const bin = fileURLToPath(new URL("../../../bin/aiclone", import.meta.url));

/** A Telegram export big enough that building its dataset takes a moment (Аня answers Петя). */
function bigTelegramExport(days: number): string {
  const messages: unknown[] = [];
  let id = 1;
  const start = Date.UTC(2023, 0, 1, 9) / 1000;
  for (let day = 0; day < days; day++)
    for (let i = 0; i < 12; i++) {
      const t = start + day * 86_400 + i * 90;
      const owner = i % 2 === 1;
      messages.push({
        id: id++,
        type: "message",
        date: new Date(t * 1000).toISOString().slice(0, 19),
        date_unixtime: String(t),
        from: owner ? "Аня" : "Петя",
        from_id: owner ? "user1" : "user2",
        text: owner
          ? `ответ ${day}-${i}: всё хорошо, ${"ну ".repeat(i)}работаю`
          : `вопрос ${day}-${i}: как дела?`,
      });
    }
  return JSON.stringify({ name: "Петя", type: "personal_chat", id: 2, messages });
}

/**
 * The platform process is killed with SIGKILL in the middle of an operation and started again on the same
 * data: the operation either completed once or can be retried, the read models equal a rebuild from the
 * log, and what the crash left in the artifact store is found and removed by the sweeper.
 */
describe("crashes (SIGKILL) in the middle of operations", () => {
  let dir: string;
  let platform: PlatformProcess;
  let api: GraphQLTestClient;
  /** Settings one case adds for the platform processes it starts. */
  let extraEnv: Record<string, string> = {};
  const env = () => ({
    ...standInTrainerEnv,
    ...extraEnv,
    STANDIN_STEP_MS: "50",
    AICLONE_DATA_DIR: dir,
    AICLONE_API__PORT: "0",
    AICLONE_TRAINING__HEARTBEAT_MS: "200",
    AICLONE_TRAINING__LEASE_MS: "1500",
  });
  const start = async () => {
    platform = PlatformProcess.spawn([], env());
    const url = await platform.graphqlUrl();
    api = new GraphQLTestClient(url, api?.token ?? (await platform.waitFor(/API key: (\S+)/))[1]!);
  };
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, ...env() }, encoding: "utf8" });
  const clone = async (id: string) =>
    (
      await api.data(
        `query ($id: ID!) { clone(id: $id) { status revision updatedAt sources { id fileName size }
           datasets { version stats { samples } } datasetRequest { id status }
           trainingRuns { id status attempt progress { step } metrics } } }`,
        { id },
      )
    ).clone;
  const events = async (id: string) =>
    (await api.data("query ($id: ID!) { cloneEvents(id: $id) { type } }", { id })).cloneEvents.map(
      (e: { type: string }) => e.type,
    );

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "aiclone-faults-"));
    await start();
  });
  after(async () => {
    await platform?.stop("SIGKILL");
    await rm(dir, { recursive: true, force: true });
  });

  it("an upload cut by a crash leaves no source; the sweeper removes its partial file", async () => {
    const { createClone } = await api.data('mutation { createClone(input: {name: "Аня"}) { id } }');
    const boundary = "aiclone-fault";
    const operations = JSON.stringify({
      query: "mutation ($id: ID!, $file: Upload!) { uploadSource(cloneId: $id, file: $file) { id } }",
      variables: { id: createClone.id, file: null },
    });
    let sent = 0;
    let cut = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(
          new TextEncoder().encode(
            `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${operations}\r\n` +
              `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.file"]}\r\n` +
              `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="result.json"\r\nContent-Type: application/json\r\n\r\n`,
          ),
        );
      },
      async pull(controller) {
        // 256 KiB every 50 ms until the server is killed.
        await new Promise((r) => setTimeout(r, 50));
        if (cut) return controller.close();
        sent += 256 * 1024;
        controller.enqueue(new Uint8Array(256 * 1024).fill(0x20));
      },
    });
    const upload = fetch(api.url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${api.token}`,
        "apollo-require-preflight": "true",
        "content-type": `multipart/form-data; boundary=${boundary}`,
      },
      body,
      duplex: "half",
    } as RequestInit).catch((error: unknown) => error);
    await until("part of the upload to be sent", async () => (sent > 3 * 1024 * 1024 ? true : undefined));
    assert.equal(await platform.stop("SIGKILL"), "SIGKILL");
    cut = true;
    await upload;

    await start();
    assert.deepEqual((await clone(createClone.id)).sources, [], "no half-recorded source");
    assert.equal((await events(createClone.id)).includes("SourceUploaded"), false);
    await platform.stop();
    const sweep = cli("artifacts", "sweep", "--min-age-minutes", "0");
    assert.equal(sweep.status, 0, sweep.stderr);
    assert.match(sweep.stdout, /0 orphaned artifact\(s\) removed, [1-9]\d* unfinished write\(s\) removed/);
    await start();
  });

  it("a dataset build cut by a crash completes once after the restart; read models equal a rebuild", async () => {
    const { createClone } = await api.data('mutation { createClone(input: {name: "Аня"}) { id } }');
    const id = createClone.id;
    const uploaded = await api.upload(
      "mutation ($id: ID!, $file: Upload!) { uploadSource(cloneId: $id, file: $file) { id } }",
      { id },
      "file",
      { name: "result.json", content: bigTelegramExport(1500) },
    );
    assert.equal(uploaded.errors, undefined, JSON.stringify(uploaded.errors));
    await until("the inspection", async () =>
      (await events(id)).includes("SourceInspected") ? true : undefined,
    );
    await api.data('mutation ($id: ID!) { buildDataset(input: {cloneId: $id, owner: "Аня"}) { id } }', {
      id,
    });
    await new Promise((r) => setTimeout(r, 300)); // the worker has started building
    assert.equal((await clone(id)).status, "DATASET_BUILDING");
    assert.equal(await platform.stop("SIGKILL"), "SIGKILL");

    await start();
    const built = await until(
      "the build to finish after the restart",
      async () => {
        const c = await clone(id);
        return c.status === "DATASET_READY" ? c : undefined;
      },
      120_000,
    );
    assert.equal(built.datasets.length, 1);
    assert.equal(
      (await events(id)).filter((t: string) => t === "DatasetBuilt").length,
      1,
      "built exactly once",
    );

    const live = await clone(id);
    await platform.stop();
    const rebuild = cli("projections", "rebuild");
    assert.equal(rebuild.status, 0, rebuild.stderr);
    const sweep = cli("artifacts", "sweep", "--min-age-minutes", "0", "--dry-run");
    assert.match(sweep.stdout, /^0 orphaned artifact\(s\) found/m, sweep.stdout);
    await start();
    assert.deepEqual(await clone(id), live, "the live read model equals the one rebuilt from the log");
  });

  it("a training job cut by a crash resumes from its checkpoint after the restart", async () => {
    const { clones } = await api.data("{ clones { nodes { id status } } }");
    const id = clones.nodes.find((c: { status: string }) => c.status === "DATASET_READY").id;
    const { requestTraining } = await api.data(
      'mutation ($id: ID!) { requestTraining(input: {cloneId: $id, baseModel: "llama-2-tiny-random", hyperparameters: {maxSteps: 80, checkpointEvery: 10}}) { trainingRuns { id } } }',
      { id },
    );
    const runId = requestTraining.trainingRuns.at(-1).id;
    await until(
      "progress past step 25",
      async () => ((await clone(id)).trainingRuns.at(-1)?.progress?.step >= 25 ? true : undefined),
      60_000,
    );
    assert.equal(await platform.stop("SIGKILL"), "SIGKILL");

    await start();
    const done = await until(
      "the job to finish after the restart",
      async () => {
        const run = (await clone(id)).trainingRuns.find((r: { id: string }) => r.id === runId);
        return run?.status === "COMPLETED" || run?.status === "FAILED" ? run : undefined;
      },
      120_000,
    );
    assert.equal(done.status, "COMPLETED");
    assert.equal(done.attempt, 2, "the job went back to the queue when its worker died with the process");
    assert.ok(done.metrics.train.start_step >= 20, `resumed from step ${done.metrics.train.start_step}`);
    await platform.stop();
    const sweep = cli("artifacts", "sweep", "--min-age-minutes", "0", "--dry-run");
    assert.match(sweep.stdout, /^0 orphaned artifact\(s\) found/m, sweep.stdout);
    await start();
  });

  it("a publish cut by a crash publishes nothing; the retry publishes version 1 once; the sweeper removes the partial bundle", async () => {
    // A large, incompressible stand-in adapter makes packing the bundle take seconds, so the kill lands inside it.
    const tmp = join(dir, "tmp");
    await mkdir(tmp, { recursive: true });
    await platform.stop();
    extraEnv = {
      STANDIN_ADAPTER_BYTES: String(160 * 1024 * 1024),
      TMPDIR: tmp,
      // The crashed request's key is taken over by the retry after this (the default 30 s is long for a test).
      AICLONE_API__IDEMPOTENCY_LEASE_MS: "1000",
    };
    await start();
    const id = await cloneWithDataset(api);
    const trained = await finishedJob(api, await requestTraining(api, id, { maxSteps: 5 }));
    assert.equal(trained.status, "COMPLETED", trained.error);

    const PUBLISH = `mutation ($id: ID!, $key: String) { publishClone(cloneId: $id, idempotencyKey: $key) {
      publishedVersions { version adapterVersion sha256 size } } }`;
    const key = "publish-after-crash";
    const publishing = api.data(PUBLISH, { id, key }).catch((error: unknown) => error);
    // The bundle's unfinished write in the local store's temporary folder: the publish is packing/uploading.
    const partials = join(dir, "artifacts", ".tmp");
    await until(
      "the bundle to be part-written",
      async () => {
        for (const name of await readdir(partials).catch(() => [] as string[]))
          if (((await stat(join(partials, name)).catch(() => null))?.size ?? 0) > 4 * 1024 * 1024)
            return true;
        return undefined;
      },
      30_000,
    );
    assert.equal(await platform.stop("SIGKILL"), "SIGKILL");
    assert.ok((await publishing) instanceof Error, "the request died with the process");

    await start();
    assert.deepEqual((await clone(id)).status, "TRAINED");
    assert.equal((await events(id)).includes("ClonePublished"), false, "nothing half-published");
    await platform.stop();
    const dryRun = cli("artifacts", "sweep", "--min-age-minutes", "0", "--dry-run");
    assert.equal(dryRun.status, 0, dryRun.stderr);
    assert.match(dryRun.stdout, /^0 orphaned artifact\(s\) found/m, dryRun.stdout);
    const sweep = cli("artifacts", "sweep", "--min-age-minutes", "0");
    assert.equal(sweep.status, 0, sweep.stderr);
    assert.match(sweep.stdout, /0 orphaned artifact\(s\) removed, [1-9]\d* unfinished write\(s\) removed/);

    await start();
    // The client retries with the same idempotency key, as it should after losing the answer.
    const retried = await api.data(PUBLISH, { id, key });
    assert.deepEqual(
      retried.publishClone.publishedVersions.map((v: { version: number }) => v.version),
      [1],
    );
    assert.deepEqual(
      await api.data(PUBLISH, { id, key }),
      retried,
      "a second retry returns the same outcome",
    );
    assert.equal(
      (await events(id)).filter((t: string) => t === "ClonePublished").length,
      1,
      "published once",
    );

    const PUBLISHED =
      "query ($id: ID!) { clone(id: $id) { status revision publishedVersions { version sha256 size } } }";
    const live = await api.data(PUBLISHED, { id });
    await platform.stop();
    const rebuild = cli("projections", "rebuild");
    assert.equal(rebuild.status, 0, rebuild.stderr);
    const after = cli("artifacts", "sweep", "--min-age-minutes", "0", "--dry-run");
    assert.match(after.stdout, /^0 orphaned artifact\(s\) found/m, after.stdout);
    extraEnv = {};
    await start();
    assert.deepEqual(
      await api.data(PUBLISHED, { id }),
      live,
      "the live read model equals the one rebuilt from the log",
    );
  });
});
