import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ConfigError, loadPlatformConfig } from "./loadConfig.js";

describe("platform configuration", () => {
  const dirs: string[] = [];
  after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
  const file = async (content: string) => {
    const dir = await mkdtemp(join(tmpdir(), "aiclone-config-"));
    dirs.push(dir);
    const path = join(dir, "config.json");
    await writeFile(path, content);
    return path;
  };

  it("defaults to the embedded engines on 127.0.0.1:4000 with data in .aiclone", async () => {
    const config = await loadPlatformConfig({ env: {} });
    assert.equal(config.dataDir, ".aiclone");
    assert.deepEqual(config.api.host, "127.0.0.1");
    assert.equal(config.api.port, 4000);
    assert.deepEqual(config.eventStore, { kind: "sqlite" });
    assert.deepEqual(config.bus, { kind: "in-process" });
    assert.deepEqual(config.documentStore, { kind: "sqlite" });
    assert.deepEqual(config.artifacts, { kind: "local" });
  });

  it("merges the file and lets AICLONE_* variables override it, nesting on __", async () => {
    const path = await file(JSON.stringify({ dataDir: "/srv/clones", api: { port: 5000, host: "0.0.0.0" } }));
    const config = await loadPlatformConfig({
      file: path,
      env: {
        AICLONE_API__PORT: "6001",
        AICLONE_EVENT_STORE__KIND: "eventstoredb",
        AICLONE_EVENT_STORE__URL: "esdb://h:2113?tls=false",
      },
    });
    assert.equal(config.dataDir, "/srv/clones");
    assert.equal(config.api.host, "0.0.0.0");
    assert.equal(config.api.port, 6001);
    assert.deepEqual(config.eventStore, { kind: "eventstoredb", url: "esdb://h:2113?tls=false" });
  });

  it("takes the trainer venv's variables, which scripts/ensureTrainerEnv.mjs reads too, as settings", async () => {
    const config = await loadPlatformConfig({
      env: { AICLONE_TRAINING__VENV: "/opt/venv", AICLONE_TRAINING__EXTRAS: "gpu,test" },
    });
    assert.equal(config.training.venv, "/opt/venv");
    assert.equal(config.training.extras, "gpu,test");
    const script = await readFile(new URL("../../../scripts/ensureTrainerEnv.mjs", import.meta.url), "utf8");
    assert.match(script, /process\.env\.AICLONE_TRAINING__VENV/);
    assert.match(script, /process\.env\.AICLONE_TRAINING__EXTRAS/);
  });

  it("defaults the preference objective to off with 8 pairs, and takes it from variables", async () => {
    const defaults = await loadPlatformConfig({ env: {} });
    assert.deepEqual(defaults.training.preference, { objective: "off", minPairs: 8 });
    const config = await loadPlatformConfig({
      env: {
        AICLONE_TRAINING__PREFERENCE__OBJECTIVE: "dpo",
        AICLONE_TRAINING__PREFERENCE__MIN_PAIRS: "4",
        AICLONE_TRAINING__PREFERENCE__BETA: "0.2",
      },
    });
    assert.deepEqual(config.training.preference, { objective: "dpo", minPairs: 4, beta: 0.2 });
    await assert.rejects(
      loadPlatformConfig({ env: { AICLONE_TRAINING__PREFERENCE__OBJECTIVE: "ppo" } }),
      ConfigError,
    );
  });

  it("names the key and the variable of a bad value", async () => {
    await assert.rejects(loadPlatformConfig({ env: { AICLONE_API__PORT: "seventy" } }), (error: Error) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /api\.port/);
      assert.match(error.message, /AICLONE_API__PORT/);
      return true;
    });
  });

  it("names an unknown adapter kind and an unknown key in the file", async () => {
    const path = await file(JSON.stringify({ bus: { kind: "carrier-pigeon" }, api: { prot: 1 } }));
    await assert.rejects(loadPlatformConfig({ file: path, env: {} }), (error: Error) => {
      assert.match(error.message, /bus\.kind/);
      assert.match(error.message, /api\.prot/);
      assert.match(error.message, new RegExp(path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
      return true;
    });
  });

  it("says when the file is not JSON", async () => {
    const path = await file("{ dataDir: nope");
    await assert.rejects(loadPlatformConfig({ file: path, env: {} }), /not valid JSON/);
  });
});
