import assert from "node:assert/strict";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { PlatformProcess } from "../../testing/platform/platformProcess.js";

async function startCli(dataDir: string): Promise<PlatformProcess> {
  const started = PlatformProcess.spawn([], { AICLONE_DATA_DIR: dataDir, AICLONE_API__PORT: "0" });
  await started.graphqlUrl();
  return started;
}

describe("aiclone platform start", () => {
  const dirs: string[] = [];
  after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it("prints the first key exactly once, serves /healthz, and stops cleanly on SIGTERM and SIGINT", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "aiclone-cli-"));
    dirs.push(dataDir);
    const first = await startCli(dataDir);
    const keyLines = first.stdout.split("\n").filter((line) => line.startsWith("API key: "));
    assert.equal(keyLines.length, 1);
    assert.match(keyLines[0]!, /^API key: ak_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    const url = await first.graphqlUrl();
    const health = await fetch(url.replace(/\/graphql$/, "/healthz"));
    assert.equal(health.status, 200);
    const me = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${keyLines[0]!.slice(9)}` },
      body: JSON.stringify({ query: "{ me { id } }" }),
    });
    assert.ok(((await me.json()) as { data: { me: { id: string } } }).data.me.id);
    assert.equal(await first.stop("SIGTERM"), 0, first.stderr);

    const second = await startCli(dataDir);
    assert.doesNotMatch(second.stdout, /API key:/);
    assert.equal(await second.stop("SIGINT"), 0, second.stderr);
  });

  it("refuses a bad configuration value, naming the key", async () => {
    const refused = PlatformProcess.spawn([], { AICLONE_API__PORT: "четыре тысячи" });
    const [code] = await once(refused.child, "exit");
    assert.equal(code, 1);
    assert.match(refused.stderr, /api\.port/);
    assert.match(refused.stderr, /AICLONE_API__PORT/);
  });
});
