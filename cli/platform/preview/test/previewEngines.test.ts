import assert from "node:assert/strict";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { tinyPromptContract, writeTinyLoraAdapter } from "@aiclone/testing/loraAdapterGguf";
import { TINY_MODEL_SHA256, tinyModelPath } from "@aiclone/testing/sharedData";
import { getLlama, type Llama, LlamaLogLevel } from "node-llama-cpp";
import { PreviewBusyError, PreviewEngines, type PreviewEnginesOptions } from "../previewEngines.js";

const base = { path: tinyModelPath(), sha256: TINY_MODEL_SHA256 };
const question = [{ role: "user" as const, content: "Привет!" }];

describe("PreviewEngines (tiny model, hand-written adapters)", () => {
  let llama: Llama;
  let dir: string;
  const adapters: string[] = [];
  let adapterBytes = 0;
  let baseBytes = 0;
  let clock = 0;
  const pools: PreviewEngines[] = [];
  const pool = (options: Partial<PreviewEnginesOptions> = {}) => {
    const engines = new PreviewEngines(
      {
        maxLoadedAdapters: 2,
        memoryBytes: 1024 ** 3,
        idleUnloadMs: 60_000,
        contextSize: 256,
        sequences: 1,
        threads: 1,
        gpu: false,
        llama,
        ...options,
      },
      () => clock,
    );
    pools.push(engines);
    return engines;
  };

  before(async () => {
    llama = await getLlama({ gpu: false, logLevel: LlamaLogLevel.error });
    dir = await mkdtemp(join(tmpdir(), "aiclone-preview-engines-"));
    for (let i = 0; i < 3; i++) {
      const path = join(dir, `adapter-${i}.gguf`);
      await writeTinyLoraAdapter(path, { scale: 2 + i, promptContract: tinyPromptContract(null) });
      adapters.push(path);
    }
    adapterBytes = (await stat(adapters[0]!)).size;
    baseBytes = (await stat(base.path)).size;
  });
  after(async () => {
    for (const engines of pools) await engines.close();
    await llama.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it("loads the base model once for several adapters, each with its prompt contract", async () => {
    const engines = pool();
    const a = await engines.lease(base, adapters[0]!);
    const b = await engines.lease(base, adapters[1]!);
    assert.notEqual(a.engine, b.engine);
    // With the runtime's shared-model option both engines run on one loaded model; an older runtime ignores
    // the option and loads its own (AICLONE_EXPECT_SHARED_BASE=1 makes this a failure).
    if (process.env.AICLONE_EXPECT_SHARED_BASE === "1") assert.equal(a.engine.model, b.engine.model);
    assert.equal(a.contract?.template, "aiclone-fallback-v1");
    assert.deepEqual(engines.loaded, { adapters: 2, bases: 1, bytes: baseBytes + 2 * adapterBytes });
    const reply = await a.engine.generate({ system: "", messages: question, maxTokens: 4, seed: 1 });
    assert.equal(reply.completionTokens, 4);
    a.release();
    b.release();
    // The same adapter again is the same engine, not a second load.
    const again = await engines.lease(base, adapters[0]!);
    assert.equal(again.engine, a.engine);
    again.release();
  });

  it("unloads the least recently used idle adapter past the count, and refuses when all are answering", async () => {
    const engines = pool({ maxLoadedAdapters: 2 });
    clock = 1;
    const first = await engines.lease(base, adapters[0]!);
    clock = 2;
    const second = await engines.lease(base, adapters[1]!);
    await assert.rejects(engines.lease(base, adapters[2]!), PreviewBusyError);
    clock = 3;
    second.release();
    clock = 4;
    first.release(); // released last: the more recently used
    const third = await engines.lease(base, adapters[2]!);
    assert.equal(engines.loaded.adapters, 2);
    // adapter-1 went (used least recently); adapter-0 is still the engine it was.
    const stillFirst = await engines.lease(base, adapters[0]!);
    assert.equal(stillFirst.engine, first.engine);
    third.release();
    stillFirst.release();
  });

  it("keeps the loaded files within the memory cap", async () => {
    const engines = pool({ maxLoadedAdapters: 10, memoryBytes: baseBytes + adapterBytes * 2 });
    for (const adapter of adapters) (await engines.lease(base, adapter)).release();
    assert.deepEqual(engines.loaded, { adapters: 2, bases: 1, bytes: baseBytes + 2 * adapterBytes });
  });

  it("unloads idle adapters, and the base model once none of its adapters is left", async () => {
    const engines = pool({ idleUnloadMs: 1_000 });
    clock = 10_000;
    const lease = await engines.lease(base, adapters[0]!);
    clock = 20_000;
    await engines.unloadIdle();
    assert.equal(engines.loaded.adapters, 1, "an adapter answering is never unloaded");
    lease.release();
    clock = 20_500;
    await engines.unloadIdle();
    assert.equal(engines.loaded.adapters, 1, "not idle long enough yet");
    clock = 21_500;
    await engines.unloadIdle();
    assert.deepEqual(engines.loaded, { adapters: 0, bases: 0, bytes: 0 });
  });

  it("refuses an adapter trained on another base model", async () => {
    const path = join(dir, "other-base.gguf");
    await writeTinyLoraAdapter(path, { promptContract: tinyPromptContract(null, "0".repeat(64)) });
    const engines = pool();
    await assert.rejects(engines.lease(base, path), /trained on the base model with sha256 0000/);
    assert.equal(engines.loaded.adapters, 0);
  });
});
