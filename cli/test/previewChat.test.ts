import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { tinyModelPath } from "@aiclone/testing/sharedData";
import { type Runtime, startRuntime } from "aiclone-runtime";
import { initBundle } from "aiclone-runtime/bundle";
import { getLlama, type Llama, LlamaLogLevel } from "node-llama-cpp";
import { pino } from "pino";
import type { GraphQLTestClient } from "../../testing/platform/graphqlClient.js";
import { PlatformHarness } from "../../testing/platform/platformHarness.js";
import { ask, pieces, START } from "./previewScenario.js";
import {
  apiOf,
  cloneWithDataset,
  finishedJob,
  requestTraining,
  standInTrainerEnv,
} from "./trainingScenario.js";

/**
 * Preview chat on embedded defaults: the platform trains (stand-in trainer, a real tiny LoRA), then the
 * `preview` role in the same process answers through the runtime's engine; the reply streams over the
 * subscription and is the same, for the same seed, as the installed runtime's from that adapter.
 */
const PERSONA = "Ты — Аня. Отвечай коротко.";
const QUESTION = "Привет! Как прошёл день?";

describe("preview chat (one process, the tiny model)", () => {
  let harness: PlatformHarness;
  let api: GraphQLTestClient;
  let cloneId: string;
  let dir: string;

  before(async () => {
    process.env.STANDIN_STEP_MS = "5";
    dir = await mkdtemp(join(tmpdir(), "aiclone-preview-"));
    harness = await PlatformHarness.start({
      ...standInTrainerEnv,
      AICLONE_PREVIEW__CPU: "true",
      AICLONE_PREVIEW__THREADS: "1",
      AICLONE_PREVIEW__LIMITS__REPLIES_PER_MINUTE: "3",
      AICLONE_PREVIEW__LIMITS__CONCURRENT_REPLIES: "10",
    });
    api = apiOf(harness);
    cloneId = await cloneWithDataset(api);
    await api.data(
      `mutation ($id: ID!, $p: String!) { configurePersona(input: {cloneId: $id, displayName: "Аня", systemPrompt: $p, language: "ru"}) { id } }`,
      { id: cloneId, p: PERSONA },
    );
    const job = await finishedJob(api, await requestTraining(api, cloneId, { maxSteps: 3 }));
    assert.equal(job.status, "COMPLETED");
    assert.equal(job.adapterVersion, 1);
  });
  after(async () => {
    await harness.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  let firstReply = "";

  it("streams a reply of the trained adapter version in pieces, then done", async () => {
    const { startPreviewReply } = await api.data(
      START,
      ask(cloneId, [{ role: "USER", content: QUESTION }], 7),
    );
    assert.deepEqual([startPreviewReply.cloneId, startPreviewReply.adapterVersion], [cloneId, 1]);
    const got = await pieces(api, startPreviewReply.id);
    assert.deepEqual(
      got.map((p) => p.seq),
      got.map((_, i) => i),
    );
    const last = got.at(-1)!;
    assert.equal(last.done, true, JSON.stringify(last));
    assert.equal(last.error, null);
    assert.ok(["STOP", "LENGTH"].includes(String(last.finishReason)));
    assert.ok((last.completionTokens ?? 0) > 0);
    assert.ok(got.length >= 2, "at least one piece of text before done");
    firstReply = got.map((p) => p.text).join("");
    assert.ok(firstReply.length > 0);
    const again = await api.data(START, ask(cloneId, [{ role: "USER", content: QUESTION }], 7));
    const repeated = await pieces(api, again.startPreviewReply.id);
    assert.equal(repeated.map((p) => p.text).join(""), firstReply, "same seed, same reply");
  });

  it("answers as the installed clone does: the runtime from a bundle of that adapter, same seed", async () => {
    const view = await harness.platform.models.clones.get(cloneId);
    const adapterKey = view?.trainingRuns.find((r) => r.adapterVersion === 1)?.artifactKey;
    assert.ok(adapterKey);
    const adapter = join(dir, "adapter.gguf");
    const stream = await harness.platform.adapters.artifacts.get(adapterKey);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    await writeFile(adapter, Buffer.concat(chunks));
    const bundleDir = await initBundle({
      model: tinyModelPath(),
      adapter,
      name: "Аня",
      persona: PERSONA,
      language: "ru",
      out: join(dir, "bundle"),
      plugins: [],
    });
    let llama: Llama | undefined;
    let runtime: Runtime | undefined;
    try {
      llama = await getLlama({ gpu: false, logLevel: LlamaLogLevel.error });
      runtime = await startRuntime({
        bundleDir,
        llama,
        cpu: true,
        threads: 1,
        modelCacheDir: join(dir, "cache"),
        logger: pino({ level: "silent" }),
      });
      const installed = await runtime.chat.complete({
        messages: [{ role: "user", content: QUESTION }],
        seed: 7,
      });
      assert.equal(installed.text, firstReply);
    } finally {
      await runtime?.stop();
      await llama?.dispose();
    }
  });

  it("refuses a version that does not exist, a conversation not ending with the user, another owner", async () => {
    const missing = await api.request(START, {
      input: { cloneId, adapterVersion: 9, messages: [{ role: "USER", content: "а?" }] },
    });
    assert.equal(missing.errors?.[0]?.extensions?.code, "NOT_FOUND");
    assert.match(missing.errors?.[0]?.message ?? "", /no adapter version 9; its trained versions: 1/);
    const wrong = await api.request(START, ask(cloneId, [{ role: "ASSISTANT", content: "привет" }]));
    assert.equal(wrong.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");
    assert.match(wrong.errors?.[0]?.message ?? "", /last message must be the user's/);

    const stranger = await harness.platform.services.owners.createOwner("Чужой", {
      kind: "system",
      name: "test",
    });
    const other = api.withToken(stranger.token);
    const refused = await other.request(START, ask(cloneId, [{ role: "USER", content: "а?" }]));
    assert.equal(refused.errors?.[0]?.extensions?.code, "NOT_FOUND");
    const { startPreviewReply } = await api.data(START, ask(cloneId, [{ role: "USER", content: "а?" }]));
    await assert.rejects(pieces(other, startPreviewReply.id), /NOT_FOUND/);
    await pieces(api, startPreviewReply.id);
  });

  it("limits the replies an owner starts a minute", async () => {
    // preview.limits.repliesPerMinute is 3 here: four starts in a row pass it, whatever came before.
    let refused: Awaited<ReturnType<typeof api.request>> | undefined;
    for (let i = 0; i < 4 && !refused; i++) {
      const result = await api.request(START, ask(cloneId, [{ role: "USER", content: "ещё?" }]));
      if (result.errors) refused = result;
    }
    assert.equal(refused?.errors?.[0]?.extensions?.code, "RATE_LIMITED", JSON.stringify(refused));
    assert.equal(refused?.errors?.[0]?.extensions?.limit, "preview.limits.repliesPerMinute");
    assert.match(refused?.errors?.[0]?.message ?? "", /at most 3 preview replies a minute/);
  });
});
