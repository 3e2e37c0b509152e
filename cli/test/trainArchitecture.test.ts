import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { writeGgufHeader } from "../../trainer-gateway/test/ggufHeader.js";

const bin = fileURLToPath(new URL("../../../bin/aiclone", import.meta.url));

describe("aiclone train and the base model's architecture", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "aiclone-train-arch-"));
    await mkdir(join(dir, "dataset"));
    const line = {
      messages: [
        { role: "user", content: "hi" },
        { role: "assistant", content: "yo" },
      ],
    };
    await writeFile(join(dir, "dataset", "train.jsonl"), `${JSON.stringify(line)}\n`);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("refuses an unsupported architecture before the trainer (or its environment) starts", async () => {
    const base = join(dir, "phi.gguf");
    await writeGgufHeader(base, { "general.architecture": "phi3" });
    const out = join(dir, "out");
    const run = spawnSync(
      process.execPath,
      [bin, "train", "--dataset", join(dir, "dataset"), "--base", base, "--out", out, "--cpu"],
      // A venv that does not exist: reaching the trainer's environment would fail differently.
      {
        encoding: "utf8",
        env: { ...process.env, AICLONE_TRAINING__VENV: join(dir, "no-venv") },
        timeout: 60_000,
      },
    );
    assert.equal(run.status, 1, run.stderr);
    assert.match(
      run.stderr,
      /aiclone train: base model .*phi\.gguf: architecture 'phi3' is not supported for training; supported: llama, qwen2, qwen3/,
    );
    assert.ok(!existsSync(out), "nothing written for a refused base");
  });
});
