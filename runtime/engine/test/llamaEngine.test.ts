import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { writeTinyLoraAdapter } from "@aiclone/testing/loraAdapterGguf";
import { tinyModelPath } from "@aiclone/testing/sharedData";
import { getLlama, type Llama, LlamaLogLevel } from "node-llama-cpp";
import { type EngineOptions, EngineStartError, LlamaEngine } from "../llamaEngine.js";
import { EngineBusyError } from "../slotPool.js";

const greedy = { temperature: 0, topP: 1, maxTokens: 12 };
const question = [{ role: "user" as const, content: "Привет! Как прошёл твой день?" }];

describe("LlamaEngine (tiny llama model on the CPU)", () => {
  let llama: Llama;
  let dir: string;
  const engines: LlamaEngine[] = [];
  const load = async (options: Partial<EngineOptions> = {}) => {
    const engine = await LlamaEngine.load({
      modelPath: tinyModelPath(),
      llama,
      contextSize: 512,
      sequences: 2,
      // One thread: on a loaded 2-core machine spinning threads make every token 10× slower.
      threads: 1,
      defaults: greedy,
      ...options,
    });
    engines.push(engine);
    return engine;
  };

  before(async () => {
    llama = await getLlama({ gpu: false, logLevel: LlamaLogLevel.error });
    dir = await mkdtemp(join(tmpdir(), "aiclone-engine-"));
  });
  after(async () => {
    for (const engine of engines) await engine.close();
    await llama.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it("streams the reply as text chunks", async () => {
    const engine = await load();
    const chunks: string[] = [];
    const result = await engine.generate(
      { system: "Ты — Маша.", messages: question, maxTokens: 8 },
      { onText: (t) => chunks.push(t) },
    );
    assert.ok(chunks.length > 1, `only ${chunks.length} chunks`);
    assert.equal(chunks.join(""), result.text);
    assert.ok(result.text.length > 0);
    assert.equal(result.finishReason, "length");
    assert.equal(result.completionTokens, 8);
    assert.ok(result.promptTokens > 5);
  });

  it("stops early when the signal aborts", async () => {
    const engine = await load();
    const controller = new AbortController();
    let chunks = 0;
    const result = await engine.generate(
      { system: "", messages: question, maxTokens: 200 },
      {
        signal: controller.signal,
        onText: () => {
          if (++chunks === 2) controller.abort(new Error("client went away"));
        },
      },
    );
    assert.equal(result.finishReason, "abort");
    assert.ok(result.completionTokens < 20, `${result.completionTokens} tokens after abort`);

    const before = new AbortController();
    before.abort();
    const never = await engine.generate({ system: "", messages: question }, { signal: before.signal });
    assert.deepEqual([never.finishReason, never.text], ["abort", ""]);
  });

  it("serves 4 concurrent conversations with a pool of 2, queueing the rest", async () => {
    const engine = await load({ sequences: 2 });
    let maxQueued = 0;
    const results = await Promise.all(
      ["Маша", "Петя", "Оля", "Ваня"].map((name, i) =>
        engine.generate(
          { system: `Ты говоришь с ${name}.`, messages: question, maxTokens: 6, affinityKey: `c${i}` },
          {
            onText: () => {
              maxQueued = Math.max(maxQueued, engine.queued);
            },
          },
        ),
      ),
    );
    assert.equal(results.length, 4);
    for (const result of results) assert.equal(result.completionTokens, 6);
    assert.ok(maxQueued >= 1, "two requests should have waited for a sequence");
  });

  it("refuses with a clear error when the queue is full", async () => {
    const engine = await load({ sequences: 1, maxQueue: 1 });
    const running = engine.generate({ system: "", messages: question, maxTokens: 6 });
    const queued = engine.generate({ system: "", messages: question, maxTokens: 6 });
    await assert.rejects(
      engine.generate({ system: "", messages: question, maxTokens: 6 }),
      (error: unknown) => error instanceof EngineBusyError && /queue holds 1/.test(error.message),
    );
    await Promise.all([running, queued]);
  });

  it("trims a long history to the context budget, keeping the system prompt", async () => {
    const engine = await load({ contextSize: 256 });
    const turns = [];
    for (let i = 0; i < 30; i++) {
      turns.push({
        role: "user" as const,
        content: `Вопрос номер ${i}: расскажи что-нибудь интересное о Москве.`,
      });
      turns.push({
        role: "assistant" as const,
        content: `Ответ номер ${i}: Москва — большой город на реке.`,
      });
    }
    turns.push({ role: "user" as const, content: "И последний вопрос?" });
    const system = "Ты — Маша, отвечай коротко.";
    const budget = engine.contextSize - engine.maxTokensFor(8);
    assert.ok(engine.countPromptTokens(system, turns) > budget, "the test history must overflow");
    const result = await engine.generate({ system, messages: turns, maxTokens: 8 });
    assert.ok(result.droppedTurns > 0);
    assert.ok(result.promptTokens <= budget, `${result.promptTokens} > ${budget}`);
    assert.equal(result.completionTokens, 8);
  });

  it("gives the same greedy reply on a reused sequence as on a fresh one", async () => {
    const engine = await load({ sequences: 1 });
    const ask = (system: string) => engine.generate({ system, messages: question, maxTokens: 10 });
    const fresh = await ask("Ты — Маша.");
    await ask("Совсем другой разговор про погоду и про кошек.");
    const reused = await ask("Ты — Маша.");
    assert.equal(reused.text, fresh.text);
  });

  it("applies a LoRA adapter (greedy output changes) and names a missing one", async () => {
    const adapter = join(dir, "adapter.gguf");
    await writeTinyLoraAdapter(adapter);
    const base = await load({ sequences: 1 });
    const tuned = await load({ sequences: 1, adapterPath: adapter });
    const ask = (engine: LlamaEngine) => engine.generate({ system: "", messages: question, maxTokens: 10 });
    const [plain, adapted] = [await ask(base), await ask(tuned)];
    assert.notEqual(adapted.text, plain.text);

    await assert.rejects(
      load({ adapterPath: join(dir, "missing.gguf") }),
      (error: unknown) =>
        error instanceof EngineStartError && /adapter file .*missing\.gguf not found/.test(error.message),
    );
  });

  it("shares one loaded base model between engines with different adapters", async () => {
    const adapter = join(dir, "shared-adapter.gguf");
    await writeTinyLoraAdapter(adapter);
    const model = await llama.loadModel({ modelPath: tinyModelPath() });
    try {
      const plain = await LlamaEngine.load({
        modelPath: tinyModelPath(),
        llama,
        model,
        contextSize: 512,
        sequences: 1,
        threads: 1,
        defaults: greedy,
      });
      const tuned = await LlamaEngine.load({
        modelPath: tinyModelPath(),
        llama,
        model,
        adapterPath: adapter,
        contextSize: 512,
        sequences: 1,
        threads: 1,
        defaults: greedy,
      });
      assert.equal(plain.model, model);
      assert.equal(tuned.model, model);
      const ask = (engine: LlamaEngine) => engine.generate({ system: "", messages: question, maxTokens: 10 });
      const adaptedBefore = await ask(tuned);
      assert.notEqual((await ask(plain)).text, adaptedBefore.text);
      // Closing one engine leaves the shared model to the other.
      await plain.close();
      assert.equal(model.disposed, false);
      assert.equal((await ask(tuned)).text, adaptedBefore.text);
      await tuned.close();
      assert.equal(model.disposed, false);
    } finally {
      await model.dispose();
    }
    await assert.rejects(
      LlamaEngine.load({ modelPath: tinyModelPath(), model, contextSize: 512, defaults: greedy }),
      /needs the llama instance/,
    );
  });

  it("names an unknown chat template", async () => {
    await assert.rejects(load({ chatTemplate: "nonsense" }), /chat template 'nonsense' is unknown/);
  });
});
