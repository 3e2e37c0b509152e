/**
 * End to end in one process: `bundle init` from the tiny model → startRuntime with two third-party plugins
 * loaded by path: one chats and records the streamed reply, one throws in start() and is restarted with
 * backoff while the first keeps answering. A second start on the same data folder remembers the chat.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { writeTinyLoraAdapter } from "@aiclone/testing/loraAdapterGguf";
import { tinyModelPath } from "@aiclone/testing/sharedData";
import { getLlama, type Llama, LlamaLogLevel } from "node-llama-cpp";
import { pino } from "pino";
import { initBundle } from "../bundle/initBundle.js";
import { type Runtime, startRuntime } from "../runtime.js";
import { starts } from "./fixtures/crashingPlugin.js";
import { asks, recorded } from "./fixtures/recordingPlugin.js";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe("runtime end to end (tiny model, plugins loaded by path)", () => {
  let dir: string;
  let llama: Llama;
  let bundleDir: string;
  let runtime: Runtime | undefined;
  const start = () =>
    startRuntime({
      bundleDir,
      llama,
      threads: 1,
      modelCacheDir: join(dir, "cache"),
      logger: pino({ level: "silent" }),
      backoff: { initialMs: 50, maxMs: 200, resetAfterMs: 60_000 },
    });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "aiclone-e2e-"));
    llama = await getLlama({ gpu: false, logLevel: LlamaLogLevel.error });
    const adapter = join(dir, "my-adapter.gguf");
    await writeTinyLoraAdapter(adapter);
    bundleDir = await initBundle({
      model: tinyModelPath(),
      adapter,
      name: "Пётр",
      persona: "Ты — Пётр. Отвечай коротко.",
      language: "ru",
      out: join(dir, "bundle"),
      plugins: [
        { name: "recorder", path: fixture("recordingPlugin.js"), config: { question: "Привет! Как дела?" } },
        { name: "crasher", path: fixture("crashingPlugin.js"), config: {} },
        // Disabled: a missing built-in must not matter.
        { name: "telegram", enabled: false, config: {} },
      ],
    });
  });
  after(async () => {
    await runtime?.stop();
    await llama.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it("streams a reply to a plugin and keeps it serving while another plugin crash-loops", async () => {
    runtime = await start();
    assert.equal(recorded.length, 1, "the recorder chatted during start()");
    const first = recorded[0];
    assert.ok(first && first.chunks.length > 1, "the reply arrived in several chunks");
    assert.equal(first?.chunks.join(""), first?.reply.text);
    assert.equal(first?.reply.completionTokens, 8);

    const startsBefore = starts.length;
    await sleep(400);
    assert.ok(starts.length >= startsBefore + 2, `crasher restarted ${starts.length - startsBefore} times`);
    const gaps = starts.slice(1).map((t, i) => t - (starts[i] as number));
    assert.ok(
      gaps.every((gap) => gap >= 40),
      `restart gaps ${gaps.join(", ")} ms`,
    );

    const status = Object.fromEntries(runtime.status().map((s) => [s.name, s]));
    assert.equal(status.recorder?.state, "running");
    assert.match(status.crasher?.state ?? "", /restarting|starting/);
    assert.ok((status.crasher?.restarts ?? 0) >= 2);
    assert.match(status.crasher?.lastError ?? "", /bot token was revoked/);
    assert.equal(status.telegram, undefined);

    const again = await asks.get("e2e")?.("Что нового?");
    assert.ok(again && again.reply.text.length > 0);
    assert.equal(again.chunks.join(""), again.reply.text);
  });

  it("remembers the conversation and its partner across a restart", async () => {
    await runtime?.stop();
    assert.ok(runtime?.status().every((s) => s.state === "stopped"));
    runtime = await start();
    // The recorder asked once more on this start: 3 exchanges in all.
    const history = runtime.chat.history("recorder", "e2e");
    assert.equal(history.length, 6);
    assert.equal(history[0]?.content, "Привет! Как дела?");
    assert.equal(history[2]?.content, "Что нового?");
    assert.equal(runtime.chat.conversations("recorder")[0]?.partner.displayName, "Мария");
  });
});
