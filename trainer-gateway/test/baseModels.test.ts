import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { BaseModelError, baseModels, localBaseGguf, resolveBaseModel } from "../baseModels.js";

describe("base model registry", () => {
  it("names the required entries with a template, a context length and a GGUF", () => {
    const names = baseModels.map((m) => m.name);
    for (const name of ["qwen2.5-7b-instruct", "smollm2-135m-instruct", "llama-2-tiny-random"])
      assert.ok(names.includes(name), name);
    assert.equal(new Set(names).size, names.length);
    for (const m of baseModels) {
      assert.ok(m.contextLength > 0 && m.gguf.fileName.endsWith(".gguf"), m.name);
      assert.ok(m.gguf.sha256 === null || /^[0-9a-f]{64}$/.test(m.gguf.sha256), m.name);
      assert.ok(m.gguf.url === null || m.gguf.url.startsWith("https://"), m.name);
    }
    const qwen = resolveBaseModel("qwen2.5-7b-instruct");
    assert.equal(qwen.trainingWeights, "Qwen/Qwen2.5-7B-Instruct");
    assert.match(
      qwen.gguf.url ?? "",
      /^https:\/\/huggingface\.co\/Qwen\/Qwen2\.5-7B-Instruct-GGUF\/.*q4_k_m/,
    );
    assert.equal(resolveBaseModel("smollm2-135m-instruct").gguf.fileName, "SmolLM2-135M-Instruct.Q4_1.gguf");
  });

  it("points the test model at the shared file whose sha256 it records", () => {
    const tiny = resolveBaseModel("llama-2-tiny-random");
    assert.equal(tiny.testOnly, true);
    const path = localBaseGguf(tiny);
    assert.equal(createHash("sha256").update(readFileSync(path)).digest("hex"), tiny.gguf.sha256);
  });

  it("accepts the path of an existing .gguf file as an ad-hoc entry", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aiclone-base-"));
    try {
      await writeFile(join(dir, "my-model.gguf"), "GGUF");
      const entry = resolveBaseModel("my-model.gguf", dir);
      assert.equal(entry.name, "my-model");
      assert.equal(localBaseGguf(entry), join(dir, "my-model.gguf"));
      assert.throws(() => resolveBaseModel("missing.gguf", dir), /no such GGUF file/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("rejects unknown names listing the known ones, and remote-only GGUFs with the reason", () => {
    assert.throws(
      () => resolveBaseModel("gpt-5"),
      (e: Error) => {
        assert.ok(e instanceof BaseModelError);
        assert.match(e.message, /unknown base model 'gpt-5'.*qwen2\.5-7b-instruct/);
        return true;
      },
    );
    assert.throws(() => localBaseGguf(resolveBaseModel("qwen2.5-7b-instruct")), /model manager/);
  });
});
