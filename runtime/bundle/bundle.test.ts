import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { tinyPromptContract, writeTinyLoraAdapter } from "@aiclone/testing/loraAdapterGguf";
import { TINY_MODEL_SHA256, tinyModelPath } from "@aiclone/testing/sharedData";
import { CLONE_MANIFEST_FILE, type CloneBundleInput } from "./cloneBundleSchema.js";
import { initBundle } from "./initBundle.js";
import { BundleError, loadBundle, parseBundleManifest } from "./loadBundle.js";

const valid = (): CloneBundleInput => ({
  schemaVersion: 1,
  clone: { id: "clone-1", version: 3 },
  baseModel: {
    name: "llama-2-tiny-random",
    url: "https://example.org/models/tiny.gguf",
    sha256: TINY_MODEL_SHA256,
    chatTemplate: "auto",
  },
  persona: { displayName: "Маша", systemPrompt: "Ты — Маша. Отвечай коротко.", language: "ru" },
  generation: { temperature: 0.5, topP: 0.9, maxTokens: 64, contextSize: 1024 },
  plugins: [{ name: "web", enabled: true, config: { port: 3000 } }],
});

function rejects(value: unknown, message: RegExp): void {
  assert.throws(
    () => parseBundleManifest(value),
    (error: unknown) => error instanceof BundleError && message.test(error.message),
  );
}

describe("clone.json schema", () => {
  it("accepts a full manifest and fills defaults in a minimal one", () => {
    assert.equal(parseBundleManifest(valid()).persona.displayName, "Маша");
    const minimal = valid() as Record<string, unknown>;
    delete minimal.generation;
    delete minimal.plugins;
    const parsed = parseBundleManifest(minimal);
    assert.equal(parsed.generation.contextSize, 4096);
    assert.deepEqual(parsed.plugins, []);
  });

  it("names the bad field", () => {
    const shortSha = valid();
    shortSha.baseModel.sha256 = "abc";
    rejects(shortSha, /^clone\.json: baseModel\.sha256: expected 64 hex characters$/);

    const noPersona = valid() as Record<string, unknown>;
    delete noPersona.persona;
    rejects(noPersona, /persona: /);

    const badTemp = valid();
    badTemp.generation = { temperature: 9 };
    rejects(badTemp, /generation\.temperature: /);

    const badPlugin = valid();
    badPlugin.plugins = [{ name: "web", enabled: "yes" as unknown as boolean, config: {} }];
    rejects(badPlugin, /plugins\.0\.enabled: /);

    const twice = valid();
    twice.plugins = [{ name: "web" }, { name: "web" }];
    rejects(twice, /plugins\.1\.name: duplicate plugin name 'web'/);

    rejects({ ...valid(), schemaVersion: 2 }, /schemaVersion: expected 1/);
    rejects({ ...valid(), adaptor: "a.gguf" }, /clone\.json: adaptor: unknown field/);
    rejects(
      { ...valid(), adapter: "../evil.gguf" },
      /adapter: expected a file name inside the bundle folder/,
    );
  });

  it("needs a URL or a local path for the base model", () => {
    const neither = valid();
    neither.baseModel.url = null;
    rejects(neither, /baseModel\.url: needs a url to download from, or a local path/);
    const ftp = valid();
    ftp.baseModel.url = "ftp://example.org/x.gguf";
    rejects(ftp, /baseModel\.url: /);
  });
});

describe("loadBundle", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "aiclone-bundle-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("says when clone.json is missing or not JSON", async () => {
    await assert.rejects(loadBundle(join(dir, "nothing")), /clone\.json: not found/);
    const broken = join(dir, "broken");
    await initBundle({ model: tinyModelPath(), out: broken });
    await writeFile(join(broken, CLONE_MANIFEST_FILE), "{ nope");
    await assert.rejects(loadBundle(broken), /clone\.json: not valid JSON/);
  });

  it("checks the adapter file exists", async () => {
    const out = join(dir, "adapterless");
    await initBundle({ model: tinyModelPath(), out });
    const manifest = JSON.parse(await readFile(join(out, CLONE_MANIFEST_FILE), "utf8"));
    manifest.adapter = "adapter.gguf";
    await writeFile(join(out, CLONE_MANIFEST_FILE), JSON.stringify(manifest));
    await assert.rejects(loadBundle(out), /clone\.json: adapter: file .*adapter\.gguf not found/);
  });

  it("bundle init makes a runnable bundle from a local model and adapter", async () => {
    const out = join(dir, "made");
    const adapter = join(dir, "my-adapter.gguf");
    await writeTinyLoraAdapter(adapter);
    await initBundle({
      model: tinyModelPath(),
      adapter,
      persona: "Ты — Пётр.",
      name: "Пётр",
      language: "ru",
      out,
    });
    const bundle = await loadBundle(out);
    assert.equal(bundle.manifest.baseModel.sha256, TINY_MODEL_SHA256);
    assert.equal(bundle.manifest.baseModel.url, null);
    assert.equal(bundle.localModelPath, tinyModelPath());
    assert.equal(bundle.adapterPath, join(out, "adapter.gguf"));
    assert.deepEqual(await readFile(bundle.adapterPath), await readFile(adapter));
    assert.equal(bundle.manifest.persona.displayName, "Пётр");
    assert.deepEqual(
      bundle.manifest.plugins.map((p) => [p.name, p.enabled]),
      [["web", true]],
    );
  });

  it("bundle init takes the persona default from the adapter's prompt contract", async () => {
    const adapter = join(dir, "trained.gguf");
    await writeTinyLoraAdapter(adapter, { promptContract: tinyPromptContract("Ты — Пётр.\nYou are Пётр.") });
    const trained = await loadBundle(
      await initBundle({ model: tinyModelPath(), adapter, out: join(dir, "t1") }),
    );
    assert.equal(trained.manifest.persona.systemPrompt, "Ты — Пётр.\nYou are Пётр.");
    const chosen = await initBundle({
      model: tinyModelPath(),
      adapter,
      persona: "Свой текст.",
      out: join(dir, "t2"),
    });
    assert.equal((await loadBundle(chosen)).manifest.persona.systemPrompt, "Свой текст.");

    const foreign = join(dir, "foreign-base.gguf");
    await writeTinyLoraAdapter(foreign, { promptContract: tinyPromptContract("x", "ab".repeat(32)) });
    await assert.rejects(
      initBundle({ model: tinyModelPath(), adapter: foreign, out: join(dir, "t3") }),
      /trained on the base model with sha256 abab.*not on llama-2-tiny-random/,
    );
    const notGguf = join(dir, "not-gguf.gguf");
    await writeFile(notGguf, "adapter bytes");
    await assert.rejects(
      initBundle({ model: tinyModelPath(), adapter: notGguf, out: join(dir, "t4") }),
      /--adapter .*not-gguf\.gguf: not a GGUF adapter/,
    );
  });

  it("bundle init refuses a wrong --sha256, a URL without one and a foreign folder", async () => {
    await assert.rejects(
      initBundle({ model: tinyModelPath(), sha256: "0".repeat(64), out: join(dir, "wrong") }),
      /--sha256: .* has sha256 81f226/,
    );
    await assert.rejects(
      initBundle({ model: "https://example.org/m.gguf", out: join(dir, "url") }),
      /--sha256: required/,
    );
    const foreign = join(dir, "foreign");
    await initBundle({ model: "https://example.org/m.gguf", sha256: TINY_MODEL_SHA256, out: foreign });
    const notEmpty = join(dir, "notEmpty");
    await initBundle({ model: tinyModelPath(), out: join(notEmpty, "sub") });
    await assert.rejects(initBundle({ model: tinyModelPath(), out: notEmpty }), /not empty/);
    const fromUrl = await loadBundle(foreign);
    assert.equal(fromUrl.manifest.baseModel.name, "m");
    assert.equal(fromUrl.localModelPath, undefined);
  });
});
