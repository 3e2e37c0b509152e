import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../../../bin/aiclone", import.meta.url));

interface Started {
  child: ChildProcess;
  stdout: () => string;
  url: string;
}

/** `aiclone platform start` as a person runs it, on a free port, until it prints its GraphQL URL. */
async function startCli(dataDir: string): Promise<Started> {
  const child = spawn(process.execPath, [bin, "platform", "start"], {
    env: { ...process.env, AICLONE_DATA_DIR: dataDir, AICLONE_API__PORT: "0", AICLONE_LOG__LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (chunk) => {
    out += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    err += chunk;
  });
  const deadline = Date.now() + 20_000;
  while (!/GraphQL API: (\S+)/.test(out)) {
    if (child.exitCode !== null) throw new Error(`platform exited with ${child.exitCode}: ${err}`);
    if (Date.now() > deadline) throw new Error(`platform did not start: ${out}${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, stdout: () => out, url: /GraphQL API: (\S+)/.exec(out)![1]! };
}

async function stopCli(started: Started, signal: NodeJS.Signals): Promise<number | null> {
  started.child.kill(signal);
  const [code] = await once(started.child, "exit");
  return code as number | null;
}

describe("aiclone platform start", () => {
  const dirs: string[] = [];
  after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it("prints the first key exactly once, serves /healthz, and stops cleanly on SIGTERM and SIGINT", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "aiclone-cli-"));
    dirs.push(dataDir);
    const first = await startCli(dataDir);
    const keyLines = first
      .stdout()
      .split("\n")
      .filter((line) => line.startsWith("API key: "));
    assert.equal(keyLines.length, 1);
    assert.match(keyLines[0]!, /^API key: ak_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    const health = await fetch(first.url.replace(/\/graphql$/, "/healthz"));
    assert.equal(health.status, 200);
    const me = await fetch(first.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${keyLines[0]!.slice(9)}` },
      body: JSON.stringify({ query: "{ me { id } }" }),
    });
    assert.ok(((await me.json()) as { data: { me: { id: string } } }).data.me.id);
    assert.equal(await stopCli(first, "SIGTERM"), 0);

    const second = await startCli(dataDir);
    assert.doesNotMatch(second.stdout(), /API key:/);
    assert.equal(await stopCli(second, "SIGINT"), 0);
  });

  it("refuses a bad configuration value, naming the key", async () => {
    const child = spawn(process.execPath, [bin, "platform", "start"], {
      env: { ...process.env, AICLONE_API__PORT: "четыре тысячи" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr?.on("data", (chunk) => {
      err += chunk;
    });
    const [code] = await once(child, "exit");
    assert.equal(code, 1);
    assert.match(err, /api\.port/);
    assert.match(err, /AICLONE_API__PORT/);
  });
});
