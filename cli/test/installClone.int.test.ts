import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createReadStream } from "node:fs";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { sharedDataDir } from "@aiclone/testing/sharedData";
import OpenAI from "openai";
import { PlatformHarness } from "../../testing/platform/platformHarness.js";
import { useTestBaseModels } from "../../testing/platform/testBaseModels.js";
import { terseTelegramExport } from "./telegramExportFixture.js";
import { apiOf, cloneWithDataset, finishedJob, requestTraining } from "./trainingScenario.js";

// The random-weight test model is not in the production catalogue: this test registers it.
useTestBaseModels();

const tinyModel = join(sharedDataDir(), "models", "llama-2-tiny-random.gguf");
const auditModule = fileURLToPath(new URL("./connectionAudit.js", import.meta.url));

/** The base model as the runtime downloads it on its first start: a plain HTTP server on loopback. */
async function modelServer(): Promise<{ server: Server; url: string; requests: string[] }> {
  const requests: string[] = [];
  const { size } = await stat(tinyModel);
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    response.writeHead(200, { "content-type": "application/octet-stream", "content-length": size });
    createReadStream(tinyModel).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/models/llama-2-tiny-random.gguf`, requests };
}

interface InstallRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The pasted command, as a person runs it: bash, the installer fetched with curl, a HOME of its own. */
function runInstaller(
  command: string,
  home: string,
  extraEnv: Record<string, string> = {},
): Promise<InstallRun> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", command], {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: home,
        // A clean HOME: no npm settings of this machine's user (a native build finds Node's headers through the
        // installer, not through a developer's ~/.npmrc). Only npm's download cache is shared, to be quick.
        npm_config_cache: process.env.npm_config_cache ?? join(homedir(), ".npm"),
        npm_config_prefer_offline: "true",
        AICLONE_MIN_FREE_MB: "200",
        ...extraEnv,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const PUBLISH =
  "mutation ($id: ID!) { publishClone(cloneId: $id) { status publishedVersions { version sha256 size downloadUrl } installCommand } }";
const TOKEN =
  'mutation ($id: ID!) { createInstallToken(cloneId: $id, name: "ноутбук") { token installCommand installToken { id prefix active } } }';

/**
 * Issue 7 end to end: the platform on embedded defaults trains and publishes a clone; the install command
 * it gives is run through bash in a fresh HOME; the installed runtime answers an OpenAI client; a second
 * publish is picked up by running the command again; a revoked token is refused and changes nothing.
 */
describe("one-command install of a published clone", () => {
  let harness: PlatformHarness;
  let work: string;
  let models: Awaited<ReturnType<typeof modelServer>>;
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  before(async () => {
    work = await mkdtemp(join(tmpdir(), "aiclone-install-"));
    models = await modelServer();
    const configFile = join(work, "platform.json");
    const sha256 = "81f226c62d28ed4a1a9b9fa080fcd9f0cc40e0f9d5680036583ff98fbcd035cb";
    await writeFile(
      configFile,
      JSON.stringify({ baseModels: { "llama-2-tiny-random": { url: models.url, sha256 } } }),
    );
    harness = await PlatformHarness.start({
      AICLONE_CONFIG: configFile,
      AICLONE_TRAINING__HEARTBEAT_MS: "1000",
    });
  });
  after(async () => {
    const pid = await readFile(join(work, "home", "clone", "runtime.pid"), "utf8").catch(() => "");
    if (pid) {
      try {
        process.kill(Number(pid), "SIGTERM");
      } catch {}
    }
    await harness.destroy();
    models.server.close();
    await rm(work, { recursive: true, force: true });
  });

  it("installs with the pasted command, upgrades on a second run, and refuses a revoked token", async () => {
    const api = apiOf(harness);
    const cloneId = await cloneWithDataset(api, { content: terseTelegramExport(), owner: "Alice" });
    const run = await requestTraining(api, cloneId, {
      maxSteps: 2,
      evalPrompts: 1,
      evalNewTokens: 4,
      cpu: true,
    });
    assert.equal((await finishedJob(api, run, 20 * 60_000)).status, "COMPLETED");

    const first = (await api.data(PUBLISH, { id: cloneId })).publishClone;
    assert.equal(first.status, "PUBLISHED");
    assert.equal(first.publishedVersions[0].version, 1);
    assert.match(first.installCommand, /install_clone\.sh\) --clone-id \S+ --token <INSTALL_TOKEN>$/);
    const { createInstallToken } = await api.data(TOKEN, { id: cloneId });
    assert.equal(createInstallToken.installToken.active, true);
    assert.ok(createInstallToken.token.startsWith(createInstallToken.installToken.prefix));

    const home = join(work, "home");
    const dir = join(home, "clone");
    const audit = join(work, "connections.jsonl");
    const command = `${createInstallToken.installCommand} --dir ${dir} --port ${port}`;
    const installed = await runInstaller(command, home, {
      NODE_OPTIONS: `--import ${auditModule}`,
      CONNECTION_AUDIT_FILE: audit,
      AICLONE_NO_GPU: "1",
    });
    assert.equal(installed.code, 0, `installer failed:\n${installed.stderr}`);
    assert.match(installed.stdout, new RegExp(`Chat: http://127\\.0\\.0\\.1:${port}/`));
    assert.equal((await readFile(join(dir, "current"), "utf8")).trim(), "1");
    assert.equal(models.requests.length, 1, "the base model was downloaded once");
    // The runtime came without the platform's server dependencies and without GPU builds on this GPU-less
    // run, with the SDK and the one plugin the bundle enables (web), not the others nor their libraries.
    const installedModules = join(dir, "runtime", "node_modules");
    for (const absent of [
      "kafkajs",
      "mongodb",
      "@apollo/server",
      "@node-llama-cpp/linux-x64-cuda",
      "@node-llama-cpp/linux-x64-vulkan",
      "@aiclone/plugin-telegram",
      "@aiclone/plugin-discord",
      "@aiclone/plugin-lancedb",
      "grammy",
      "discord.js",
      "@lancedb/lancedb",
    ])
      await assert.rejects(stat(join(installedModules, absent)), `${absent} must not be installed`);
    await stat(join(installedModules, "@node-llama-cpp", "linux-x64"));
    for (const present of ["aiclone-runtime", "@aiclone/plugin-sdk", "@aiclone/plugin-web"])
      await stat(join(installedModules, present, "package.json"));
    // What the install weighs on disk (README's figure), the largest packages first (du in KiB, so small
    // packages are not rounded up to a megabyte each).
    const du = (...paths: string[]) =>
      spawnSync("du", ["-sk", ...paths], { encoding: "utf8" })
        .stdout.trim()
        .split("\n")
        .map((line) => line.split("\t"))
        .map(
          ([kib, path]) => [Math.round(Number(kib) / 1024), relative(installedModules, path ?? "")] as const,
        );
    const total = du(join(dir, "runtime"))[0]?.[0];
    const largest = du(...(await readdir(installedModules)).map((name) => join(installedModules, name)))
      .sort((a, b) => b[0] - a[0])
      .slice(0, 6);
    console.error(
      `installed runtime: ${total} MB; largest: ${largest.map(([mb, n]) => `${n} ${mb} MB`).join(", ")}`,
    );
    assert.match(
      installed.stderr,
      /installing the runtime 0\.1\.0 and @aiclone\/plugin-sdk, @aiclone\/plugin-web/,
    );

    const openai = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: "unused-on-loopback" });
    const listed = await openai.models.list();
    assert.ok(listed.data.length >= 1);
    const completion = await openai.chat.completions.create({
      model: listed.data[0]!.id,
      messages: [{ role: "user", content: "Привет! Как дела?" }],
      max_tokens: 8,
    });
    assert.equal(completion.choices[0]?.message.role, "assistant");
    assert.ok((completion.usage?.completion_tokens ?? 0) > 0);

    // Privacy: the runtime's process connected to the model server and nowhere else (npm's own install
    // traffic goes to the registry from npm's processes, before the runtime starts).
    const runtimePid = Number(await readFile(join(dir, "runtime.pid"), "utf8"));
    const connections = (await readFile(audit, "utf8").catch(() => ""))
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { pid: number; host?: string; port?: number });
    const modelPort = Number(new URL(models.url).port);
    const byRuntime = connections.filter((c) => c.pid !== process.pid && c.port !== undefined);
    const outside = byRuntime.filter(
      (c) => !(c.host === "127.0.0.1" && (c.port === modelPort || c.port === port)),
    );
    assert.ok(
      byRuntime.some((c) => c.port === modelPort),
      `the model download was seen: ${JSON.stringify(byRuntime)}`,
    );
    assert.deepEqual(
      outside.filter((c) => c.pid === runtimePid || c.port !== 443),
      [],
      "no outbound connection besides the model download",
    );

    // A second version: the same command upgrades in place, keeping settings and conversations.
    await writeFile(join(dir, "data", "keep-me.txt"), "переписка");
    const second = (await api.data(PUBLISH, { id: cloneId })).publishClone;
    assert.equal(second.publishedVersions.length, 2);
    const upgraded = await runInstaller(createInstallToken.installCommand.concat(` --dir ${dir}`), home);
    assert.equal(upgraded.code, 0, `upgrade failed:\n${upgraded.stderr}`);
    assert.match(upgraded.stderr, /runtime 0\.1\.0 and its plugins are already installed/);
    assert.equal((await readFile(join(dir, "current"), "utf8")).trim(), "2");
    assert.match(upgraded.stdout, new RegExp(`Chat: http://127\\.0\\.0\\.1:${port}/`), "the port was kept");
    assert.equal(await readFile(join(dir, "data", "keep-me.txt"), "utf8"), "переписка");
    assert.equal(models.requests.length, 1, "the cached base model was not downloaded again");

    // Refusals leave the install as it was, with a message that says why.
    await api.data(
      "mutation ($c: ID!, $t: ID!) { revokeInstallToken(cloneId: $c, tokenId: $t) { active revokedAt } }",
      {
        c: cloneId,
        t: createInstallToken.installToken.id,
      },
    );
    const revoked = await runInstaller(createInstallToken.installCommand.concat(` --dir ${dir}`), home);
    assert.notEqual(revoked.code, 0);
    assert.match(revoked.stderr, /HTTP 401\): the install token was revoked; nothing was changed/);
    const wrongClone = await runInstaller(
      createInstallToken.installCommand
        .replace(cloneId, "00000000-0000-7000-8000-000000000000")
        .concat(` --dir ${join(home, "other")}`),
      home,
    );
    assert.match(wrongClone.stderr, /HTTP 401\): the install token is not valid for clone 00000000/);
    const offline = await runInstaller(
      createInstallToken.installCommand.concat(` --dir ${dir} --platform http://127.0.0.1:1`),
      home,
    );
    assert.match(
      offline.stderr,
      /cannot reach the platform at http:\/\/127\.0\.0\.1:1 \(network error\); nothing was changed/,
    );
    assert.equal((await readFile(join(dir, "current"), "utf8")).trim(), "2");
    const stillThere = await openai.models.list();
    assert.ok(stillThere.data.length >= 1, "the running clone kept answering");
  });
});
