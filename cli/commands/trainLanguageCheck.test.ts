import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { useTestBaseModels } from "../../testing/platform/testBaseModels.js";
import { resolveBaseModel } from "../../trainer-gateway/baseModels.js";
import { baseModelLanguageWarning } from "./trainLanguageCheck.js";

// The random-weight test model is not in the production catalogue: this test registers it.
useTestBaseModels();

describe("aiclone train's base-model language warning", () => {
  let dir: string;
  const dataset = async (name: string, stats: unknown) => {
    const folder = await mkdtemp(join(dir, `${name}-`));
    if (stats !== undefined) await writeFile(join(folder, "stats.json"), JSON.stringify(stats));
    return folder;
  };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "aiclone-train-lang-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const russian = { styleProfile: { messages: 10, languages: { ru: 0.9, uk: 0, en: 0.1, other: 0 } } };

  it("warns when the owner writes Russian and the base model is English-only", async () => {
    const warning = await baseModelLanguageWarning(
      await dataset("ru", russian),
      resolveBaseModel("smollm2-135m-instruct"),
    );
    assert.equal(
      warning,
      "base model smollm2-135m-instruct serves English only, but the dataset's style profile says the owner " +
        "writes in Russian (90% of their messages): the clone would write poorly in it. Choose a base model " +
        "that serves it (--base), or go on knowing that.",
    );
  });

  it("stays quiet for a multilingual model, an English owner, a test model or a dataset without stats", async () => {
    const ru = await dataset("ru", russian);
    assert.equal(await baseModelLanguageWarning(ru, resolveBaseModel("qwen2.5-7b-instruct")), null);
    assert.equal(await baseModelLanguageWarning(ru, resolveBaseModel("llama-2-tiny-random")), null);
    const en = await dataset("en", { styleProfile: { languages: { ru: 0.02, uk: 0, en: 0.98, other: 0 } } });
    assert.equal(await baseModelLanguageWarning(en, resolveBaseModel("smollm2-135m-instruct")), null);
    const bare = await dataset("bare", undefined);
    assert.equal(await baseModelLanguageWarning(bare, resolveBaseModel("smollm2-135m-instruct")), null);
    const broken = await dataset("broken", undefined);
    await writeFile(join(broken, "stats.json"), "{not json");
    assert.equal(await baseModelLanguageWarning(broken, resolveBaseModel("smollm2-135m-instruct")), null);
  });
});
