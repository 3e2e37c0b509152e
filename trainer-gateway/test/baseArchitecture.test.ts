import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { sharedDataDir } from "@aiclone/testing/sharedData";
import {
  assertSupportedArchitecture,
  ggufArchitecture,
  SUPPORTED_ARCHITECTURES,
} from "../baseArchitecture.js";
import { BaseModelError } from "../baseModels.js";
import { writeGgufHeader } from "./ggufHeader.js";

describe("base model architecture check", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "aiclone-base-arch-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("lists what the trainer exports adapters for", () => {
    assert.deepEqual([...SUPPORTED_ARCHITECTURES], ["llama", "qwen2", "qwen3"]);
  });

  it("reads general.architecture from a GGUF header", async () => {
    const tiny = join(sharedDataDir(), "models", "llama-2-tiny-random.gguf");
    assert.equal(await ggufArchitecture(tiny), "llama");
    assert.equal(await assertSupportedArchitecture(tiny), "llama");
    for (const arch of SUPPORTED_ARCHITECTURES) {
      const path = join(dir, `${arch}.gguf`);
      await writeGgufHeader(path, { "general.architecture": arch });
      assert.equal(await assertSupportedArchitecture(path), arch);
    }
  });

  it("refuses another architecture, naming it and the supported ones", async () => {
    for (const arch of ["gpt2", "phi3"]) {
      const path = join(dir, `${arch}.gguf`);
      await writeGgufHeader(path, { "general.architecture": arch, "general.name": "x" });
      await assert.rejects(
        assertSupportedArchitecture(path),
        (error: Error) =>
          error instanceof BaseModelError &&
          error.message.includes(path) &&
          error.message.includes(
            `architecture '${arch}' is not supported for training; supported: llama, qwen2, qwen3`,
          ),
      );
    }
  });

  it("says so when the file is not a GGUF or has no architecture", async () => {
    const text = join(dir, "notes.gguf");
    await writeFile(text, "not a model\n");
    await assert.rejects(
      ggufArchitecture(text),
      (e: Error) => e instanceof BaseModelError && /not a readable GGUF/.test(e.message),
    );
    const bare = join(dir, "bare.gguf");
    await writeGgufHeader(bare, { "general.name": "x" });
    await assert.rejects(ggufArchitecture(bare), /no general.architecture/);
  });
});
