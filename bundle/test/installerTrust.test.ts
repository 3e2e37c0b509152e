import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { bundleStatement, packageStatement } from "../../domain/index.js";
import { SigningKey } from "../../infra/crypto/signingKey.js";

/**
 * Issue 16, item 3: install_clone.sh does not trust what the platform (or whoever stands in for it) sends.
 * The script runs through bash against a local HTTP server that serves crafted manifests, in a temporary
 * HOME, with `--no-start` and the runtime already installed (its sha256 seeded), so nothing reaches npm.
 */
const script = fileURLToPath(new URL("../../../bundle/install_clone.sh", import.meta.url));
const CLONE_ID = "0190a1b2-c3d4-7000-8000-000000000001";
const RUNTIME_SHA = "a".repeat(64);
const SDK_SHA = "b".repeat(64);
/** What the installer records for an installed runtime: the runtime's and each installed package's sha256. */
const INSTALLED_PACKAGES = createHash("sha256").update(`${RUNTIME_SHA}\n${SDK_SHA}\n`).digest("hex");
/** The stand-in platform's signing key; the install command the tests "paste" pins its public key. */
const PLATFORM = SigningKey.generate().key;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runScript(args: string[], home: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn("bash", [script, "--clone-id", CLONE_ID, "--token", "ait_test", ...args], {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: home,
        AICLONE_MIN_FREE_MB: "1",
        AICLONE_PLATFORM_KEY: PLATFORM.publicKeyBase64,
        ...env,
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

/** A platform stand-in: the manifest is whatever the test sets; every request is recorded. */
interface FakePlatform {
  url: string;
  requests: string[];
  manifest: (base: string) => unknown;
  /** Other files it serves, by path (packages). */
  files: Map<string, Buffer>;
  close: () => Promise<void>;
}

async function fakePlatform(
  bundle: Buffer,
  listen: { host: string; tls?: { key: string; cert: string } } = { host: "127.0.0.1" },
  urlHost = "127.0.0.1",
): Promise<FakePlatform> {
  const state: FakePlatform = {
    url: "",
    requests: [],
    files: new Map(),
    manifest: () => ({}),
    close: async () => {},
  };
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    state.requests.push(String(request.url));
    if (request.url?.endsWith("/manifest")) {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(state.manifest(state.url)));
    } else if (request.url === "/bundle.tar.gz") {
      response.writeHead(200, { "content-type": "application/gzip" });
      response.end(bundle);
    } else if (state.files.has(String(request.url))) {
      response.writeHead(200, { "content-type": "application/gzip" });
      response.end(state.files.get(String(request.url)));
    } else {
      response.writeHead(404, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: "not here" }));
    }
  };
  const server = listen.tls ? createHttpsServer(listen.tls, handler) : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, listen.host, resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `${listen.tls ? "https" : "http"}://${urlHost}:${port}`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe("install_clone.sh does not trust the platform's manifest", () => {
  let work: string;
  let bundle: Buffer;
  let platform: FakePlatform;
  /** A package entry as the platform signs it. */
  const signedPackage = (name: string, version: string, sha256: string, url: string) => ({
    name,
    version,
    sha256,
    url,
    signature: PLATFORM.sign(packageStatement({ name, version, sha256 })),
  });
  const good = (base: string) => {
    const facts = { cloneId: CLONE_ID, version: 1, sha256: sha256(bundle), size: bundle.length };
    const { name: _runtime, ...runtime } = signedPackage(
      "aiclone-runtime",
      "0.1.0",
      RUNTIME_SHA,
      `${base}/runtime/packages/aiclone-runtime-0.1.0.tgz`,
    );
    return {
      ...facts,
      name: "Alice",
      url: `${base}/bundle.tar.gz`,
      signature: PLATFORM.sign(bundleStatement(facts)),
      runtime,
      packages: [
        signedPackage(
          "@aiclone/plugin-sdk",
          "1.1.0",
          SDK_SHA,
          `${base}/runtime/packages/aiclone-plugin-sdk-1.1.0.tgz`,
        ),
        {
          ...signedPackage(
            "@aiclone/plugin-web",
            "1.1.0",
            "c".repeat(64),
            `${base}/runtime/packages/aiclone-plugin-web-1.1.0.tgz`,
          ),
          plugin: "web",
        },
      ],
    };
  };
  const withPackageAt = (base: string, index: number, change: Record<string, unknown>) => {
    const manifest = good(base);
    return {
      ...manifest,
      packages: manifest.packages.map((p, i) => (i === index ? { ...p, ...change } : p)),
    };
  };
  const withPackage = (base: string, change: Record<string, unknown>) => withPackageAt(base, 0, change);

  before(async () => {
    work = await mkdtemp(join(tmpdir(), "aiclone-installer-"));
    const content = join(work, "bundle-content");
    await mkdir(content);
    await writeFile(join(content, "clone.json"), JSON.stringify({ schemaVersion: 1 }));
    const made = spawnSync("tar", ["-czf", join(work, "bundle.tar.gz"), "-C", content, "clone.json"]);
    assert.equal(made.status, 0, String(made.stderr));
    bundle = await readFile(join(work, "bundle.tar.gz"));
    platform = await fakePlatform(bundle);
  });
  after(async () => {
    await platform.close();
    await rm(work, { recursive: true, force: true });
  });

  /** An install folder whose runtime is already there (so the run never reaches npm). */
  async function installDir(name: string): Promise<{ home: string; dir: string }> {
    const home = join(work, name);
    const dir = join(home, "installs", "clone");
    await mkdir(join(dir, "runtime"), { recursive: true });
    await writeFile(join(dir, "runtime", ".package-sha256"), `${INSTALLED_PACKAGES}\n`);
    return { home, dir };
  }

  it("installs from a well-formed manifest (the stand-in is a fair platform)", async () => {
    platform.manifest = good;
    const { home, dir } = await installDir("fair");
    const run = await runScript(["--platform", platform.url, "--dir", dir, "--no-start"], home);
    assert.equal(run.code, 0, run.stderr);
    assert.equal((await readFile(join(dir, "current"), "utf8")).trim(), "1");
    assert.ok(existsSync(join(dir, "bundles", "1", "clone.json")));
    assert.match(await readFile(join(dir, "start.sh"), "utf8"), /--port "3000"/);
    assert.doesNotMatch(run.stderr, /WARNING/, "no warning for a loopback platform");
  });

  it("refuses what the platform key of the install command did not sign, before downloading anything", async () => {
    const other = SigningKey.generate().key;
    const cases: [string, (base: string) => unknown][] = [
      // A bundle swapped on the server or on the way, with its own sha256 and size: the old signature fails.
      ["signature", (b) => ({ ...good(b), sha256: "d".repeat(64), size: 10 })],
      [
        "signature",
        (b) => ({ ...good(b), signature: other.sign(bundleStatement({ ...good(b), version: 1 })) }),
      ],
      ["signature", (b) => ({ ...good(b), version: 2, signature: good(b).signature })],
      ["runtime.signature", (b) => ({ ...good(b), runtime: { ...good(b).runtime, sha256: "e".repeat(64) } })],
      ["packages.1.signature", (b) => withPackageAt(b, 1, { sha256: "f".repeat(64) })],
      ["packages.0.signature", (b) => withPackageAt(b, 0, { name: "@aiclone/plugin-evil" })],
      ["signature", (b) => ({ ...good(b), signature: undefined })],
    ];
    for (const [index, [field, manifest]] of cases.entries()) {
      platform.manifest = manifest;
      platform.requests.length = 0;
      const { home, dir } = await installDir(`unsigned-${index}`);
      const run = await runScript(["--platform", platform.url, "--dir", dir, "--no-start"], home);
      const label = `${field} #${index}`;
      assert.notEqual(run.code, 0, `${label} must be refused`);
      assert.match(
        run.stderr,
        new RegExp(`manifest's ${field.replaceAll(".", "\\.")} (does not verify|is not)`),
        `${label}\n${run.stderr}`,
      );
      assert.deepEqual(platform.requests, [`/clones/${CLONE_ID}/bundles/latest/manifest`], label);
      assert.equal(existsSync(join(dir, "current")), false, label);
    }
  });

  it("needs the platform key: refuses without it, or with a malformed one, unless told to skip the check", async () => {
    platform.manifest = good;
    const none = await installDir("no-key");
    const refused = await runScript(
      ["--platform", platform.url, "--dir", none.dir, "--no-start"],
      none.home,
      {
        AICLONE_PLATFORM_KEY: "",
      },
    );
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /no platform key: paste the whole install command/);
    const bad = await runScript(["--platform", platform.url, "--dir", none.dir, "--no-start"], none.home, {
      AICLONE_PLATFORM_KEY: "MCowBQYDK2VwAyEA;rm -rf x",
    });
    assert.match(bad.stderr, /the platform key is not an Ed25519 public key/);
    assert.equal(existsSync(join(none.dir, "current")), false);
    const skipped = await runScript(
      ["--platform", platform.url, "--dir", none.dir, "--no-start", "--insecure-skip-signature"],
      none.home,
      { AICLONE_PLATFORM_KEY: "" },
    );
    assert.equal(skipped.code, 0, skipped.stderr);
    assert.match(skipped.stderr, /WARNING: --insecure-skip-signature/);
  });

  /** Serves a runtime package (naming this machine's native packages) and the SDK, signed, with `bundle`. */
  async function servePackages(target: FakePlatform) {
    const pack = async (name: string, manifest: object) => {
      const folder = join(work, `pkg-${name}`, "package");
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, "package.json"), JSON.stringify({ name, version: "0.1.0", ...manifest }));
      const file = join(work, `pkg-${name}.tgz`);
      assert.equal(spawnSync("tar", ["-czf", file, "-C", dirname(folder), "package"]).status, 0);
      return readFile(file);
    };
    const native = {
      [`${process.platform}-${process.arch}`]: {
        cpu: ["@native/cpu@1.0.0"],
        gpu: [],
        transformers: ["@img/x@2.0.0"],
      },
    };
    const runtimeTgz = await pack("aiclone-runtime", {
      aiclone: { native },
      optionalDependencies: { "@huggingface/transformers": "^4.3.1" },
    });
    const sdkTgz = await pack("sdk", {});
    target.files.set("/runtime/packages/aiclone-runtime-0.1.0.tgz", runtimeTgz);
    target.files.set("/runtime/packages/aiclone-plugin-sdk-1.1.0.tgz", sdkTgz);
    target.manifest = (base) => {
      const manifest = good(base);
      const runtime = signedPackage("aiclone-runtime", "0.1.0", sha256(runtimeTgz), manifest.runtime.url);
      const sdk = signedPackage("@aiclone/plugin-sdk", "1.1.0", sha256(sdkTgz), manifest.packages[0]!.url);
      return { ...manifest, runtime: { ...runtime, name: undefined }, packages: [sdk, manifest.packages[1]] };
    };
  }

  it("adds onnxruntime (transformers) only for a bundle whose clone.json asks for transformers embeddings", async () => {
    // An npm that succeeds and keeps the package.json the installer wrote for it.
    const bin = join(work, "recording-npm");
    await mkdir(bin, { recursive: true });
    await writeFile(join(bin, "npm"), '#!/bin/sh\ncp package.json "$RECORD"\n', { mode: 0o755 });
    const installWith = async (name: string, clone: object) => {
      const content = join(work, `${name}-content`);
      await mkdir(content, { recursive: true });
      await writeFile(join(content, "clone.json"), JSON.stringify(clone));
      const tgz = join(work, `${name}.tar.gz`);
      assert.equal(spawnSync("tar", ["-czf", tgz, "-C", content, "clone.json"]).status, 0);
      const served = await fakePlatform(await readFile(tgz));
      try {
        await servePackages(served);
        const facts = {
          cloneId: CLONE_ID,
          version: 1,
          sha256: sha256(await readFile(tgz)),
          size: (await readFile(tgz)).length,
        };
        const signedManifest = served.manifest;
        served.manifest = (base) => ({
          ...(signedManifest(base) as object),
          ...facts,
          signature: PLATFORM.sign(bundleStatement(facts)),
        });
        const home = join(work, name);
        const record = join(work, `${name}-package.json`);
        const run = await runScript(
          ["--platform", served.url, "--dir", join(home, "clone"), "--no-start"],
          home,
          {
            PATH: `${bin}:${process.env.PATH}`,
            RECORD: record,
          },
        );
        assert.equal(run.code, 0, run.stderr);
        return JSON.parse(await readFile(record, "utf8")).dependencies as Record<string, string>;
      } finally {
        await served.close();
      }
    };
    const plain = await installWith("gguf-embeddings", { schemaVersion: 1, embeddings: { kind: "gguf" } });
    assert.equal(plain["@huggingface/transformers"], undefined);
    assert.equal(plain["@img/x"], undefined);
    assert.equal(plain["@native/cpu"], "1.0.0");
    const withTransformers = await installWith("transformers-embeddings", {
      schemaVersion: 1,
      embeddings: { kind: "transformers", modelDir: "./model" },
    });
    assert.equal(withTransformers["@huggingface/transformers"], "^4.3.1");
    assert.equal(withTransformers["@img/x"], "2.0.0");
  });

  it("names npm's cause and what to do when the runtime cannot be installed, and keeps the whole log", async () => {
    await servePackages(platform);
    // An npm that fails the way a native build without a compiler does.
    const bin = join(work, "failing-npm");
    await mkdir(bin, { recursive: true });
    await writeFile(
      join(bin, "npm"),
      [
        "#!/bin/sh",
        "echo 'npm error code 1'",
        "echo 'npm error path clone/runtime/node_modules/better-sqlite3'",
        "echo 'npm error command failed'",
        "echo 'npm error command sh -c prebuild-install || node-gyp rebuild --release'",
        "echo 'npm error gyp info it worked if it ends with ok'",
        "echo 'npm error gyp ERR! stack Error: not found: make'",
        "echo 'npm error gyp ERR! stack     at getNotFoundError (node_modules/which/lib/index.js:16:17)'",
        "echo 'npm error gyp ERR! not ok'",
        "echo 'npm error A complete log of this run can be found in: npm-cache/_logs/1.log'",
        "exit 1",
      ].join("\n"),
      { mode: 0o755 },
    );
    const home = join(work, "npm-fails");
    const dir = join(home, "clone");
    const run = await runScript(["--platform", platform.url, "--dir", dir, "--no-start"], home, {
      PATH: `${bin}:${process.env.PATH}`,
      TMPDIR: work,
    });
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /npm error gyp ERR! stack Error: not found: make/);
    assert.match(run.stderr, /npm error path clone\/runtime\/node_modules\/better-sqlite3/);
    assert.doesNotMatch(run.stderr, /getNotFoundError|it worked if it ends/, "no stack frames, no noise");
    assert.match(
      run.stderr,
      /had no prebuilt binary for this machine and could not be built from source: install python3, make/,
    );
    assert.match(run.stderr, new RegExp(`the whole npm log: ${join(work, "aiclone-install-npm.log")}`));
    assert.match(await readFile(join(work, "aiclone-install-npm.log"), "utf8"), /getNotFoundError/);
    assert.equal(existsSync(join(dir, "current")), false, "nothing was changed");
  });

  it('refuses `"version": "../../../victim"` before deleting or moving anything', async () => {
    const { home, dir } = await installDir("traversal");
    // $DIR/bundles/../../../victim is <home>/victim: a folder outside the install.
    const victim = join(home, "victim");
    await mkdir(victim);
    await writeFile(join(victim, "precious.txt"), "keep me");
    platform.manifest = (base) => ({ ...good(base), version: "../../../victim" });
    const run = await runScript(["--platform", platform.url, "--dir", dir, "--no-start"], home);
    assert.notEqual(run.code, 0, "the installer must refuse");
    assert.match(run.stderr, /version/);
    assert.equal(await readFile(join(victim, "precious.txt"), "utf8"), "keep me");
    assert.equal(existsSync(join(dir, "current")), false, "nothing was installed");
    assert.equal(existsSync(join(dir, "bundles")), false, "nothing was moved");
  });

  it("refuses every malformed server-provided field, before downloading the bundle", async () => {
    const cases: [string, (base: string) => unknown][] = [
      ["version", (b) => ({ ...good(b), version: "1/../../x" })],
      ["version", (b) => ({ ...good(b), version: ".." })],
      ["version", (b) => ({ ...good(b), version: "1\n2" })],
      ["version", (b) => ({ ...good(b), version: { a: 1 } })],
      ["sha256", (b) => ({ ...good(b), sha256: "zz" })],
      ["sha256", (b) => ({ ...good(b), sha256: `${sha256(bundle)}\n` })],
      ["size", (b) => ({ ...good(b), size: "$(touch pwned)" })],
      ["url", (b) => ({ ...good(b), url: "http://attacker.example/bundle.tar.gz" })],
      ["url", (b) => ({ ...good(b), url: `${b}.attacker.example/bundle.tar.gz` })],
      ["url", (b) => ({ ...good(b), url: `file:///etc/passwd#${b}/` })],
      ["runtime.url", (b) => ({ ...good(b), runtime: { ...good(b).runtime, url: "file:///etc/passwd" } })],
      ["runtime.sha256", (b) => ({ ...good(b), runtime: { ...good(b).runtime, sha256: "A".repeat(63) } })],
      [
        "runtime.version",
        (b) => ({ ...good(b), runtime: { ...good(b).runtime, version: "0.1.0\u001b]0;pwned\u0007" } }),
      ],
      ["cloneId", (b) => ({ ...good(b), cloneId: "00000000-0000-7000-8000-000000000000" })],
      ["packages", (b) => ({ ...good(b), packages: "all" })],
      ["packages.0.name", (b) => withPackage(b, { name: "../../evil" })],
      ["packages.0.name", (b) => withPackage(b, { name: "left-pad" })],
      ["packages.0.plugin", (b) => withPackage(b, { plugin: "web/../x" })],
      ["packages.0.sha256", (b) => withPackage(b, { sha256: "nope" })],
      ["packages.0.url", (b) => withPackage(b, { url: "https://registry.attacker.example/x.tgz" })],
    ];
    for (const [index, [field, manifest]] of cases.entries()) {
      platform.manifest = manifest;
      platform.requests.length = 0;
      const { home, dir } = await installDir(`field-${index}`);
      const run = await runScript(["--platform", platform.url, "--dir", dir, "--no-start"], home);
      const label = `${field} #${index}: ${JSON.stringify(manifest("B"))}`;
      assert.notEqual(run.code, 0, `${label} must be refused`);
      assert.match(
        run.stderr,
        new RegExp(`manifest's ${field.replace(".", "\\.")}\\b`),
        `${label}\n${run.stderr}`,
      );
      assert.deepEqual(platform.requests, [`/clones/${CLONE_ID}/bundles/latest/manifest`], label);
      assert.equal(existsSync(join(dir, "current")), false, label);
      assert.equal(existsSync(join(work, "pwned")) || existsSync(join(dir, "pwned")), false, label);
    }
  });

  it("refuses a bundle that holds a link, even when its sha256 matches and it is signed", async () => {
    const content = join(work, "linked-content");
    await mkdir(content);
    await writeFile(join(content, "clone.json"), "{}");
    const made = spawnSync("bash", [
      "-c",
      'ln -s /etc "$1/escape" && tar -czf "$2" -C "$1" clone.json escape',
      "_",
      content,
      join(work, "linked.tar.gz"),
    ]);
    assert.equal(made.status, 0, String(made.stderr));
    const linked = await readFile(join(work, "linked.tar.gz"));
    const evil = await fakePlatform(linked);
    try {
      // Signed too: even a bundle the platform itself signed may hold no link.
      const facts = { cloneId: CLONE_ID, version: 1, sha256: sha256(linked), size: linked.length };
      evil.manifest = (base) => ({
        ...good(base),
        ...facts,
        signature: PLATFORM.sign(bundleStatement(facts)),
      });
      const { home, dir } = await installDir("linked");
      const run = await runScript(["--platform", evil.url, "--dir", dir, "--no-start"], home);
      assert.notEqual(run.code, 0);
      assert.match(run.stderr, /the bundle holds links or special files/);
      assert.equal(existsSync(join(dir, "current")), false);
      assert.equal(existsSync(join(dir, "bundles")), false);
    } finally {
      await evil.close();
    }
  });

  it("refuses a port from settings.json that is not 1-65535 instead of writing it into start.sh", async () => {
    platform.manifest = good;
    for (const [index, port] of ['1"; touch pwned; "', "0", "70000", "3000 --bundle /tmp/x"].entries()) {
      const { home, dir } = await installDir(`port-${index}`);
      await writeFile(join(dir, "settings.json"), JSON.stringify({ port }));
      const run = await runScript(["--platform", platform.url, "--dir", dir, "--no-start"], home);
      assert.notEqual(run.code, 0, `port ${port} must be refused`);
      assert.match(run.stderr, /settings\.json: port/);
      assert.equal(existsSync(join(dir, "start.sh")), false, "start.sh was not written");
      assert.equal(existsSync(join(dir, "current")), false);
    }
    // A number port (as the installer writes it) is kept, and --port overrides a broken one.
    const { home, dir } = await installDir("port-kept");
    await writeFile(join(dir, "settings.json"), JSON.stringify({ port: 4123 }));
    const kept = await runScript(["--platform", platform.url, "--dir", dir, "--no-start"], home);
    assert.equal(kept.code, 0, kept.stderr);
    assert.match(await readFile(join(dir, "start.sh"), "utf8"), /--port "4123"/);
    await writeFile(join(dir, "settings.json"), JSON.stringify({ port: "x; y" }));
    const overridden = await runScript(
      ["--platform", platform.url, "--dir", dir, "--no-start", "--port", "4124"],
      home,
    );
    assert.equal(overridden.code, 0, overridden.stderr);
    assert.deepEqual(JSON.parse(await readFile(join(dir, "settings.json"), "utf8")), { port: 4124 });
  });

  it("keeps --threads in settings.json, passes it in start.sh and writes the install's aiclone command", async () => {
    platform.manifest = good;
    const { home, dir } = await installDir("threads");
    const bad = await runScript(
      ["--platform", platform.url, "--dir", dir, "--no-start", "--threads", "1; x"],
      home,
    );
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /--threads: expected 1-1024/);
    const first = await runScript(
      ["--platform", platform.url, "--dir", dir, "--no-start", "--threads", "2"],
      home,
    );
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(JSON.parse(await readFile(join(dir, "settings.json"), "utf8")), {
      port: 3000,
      threads: 2,
    });
    assert.match(await readFile(join(dir, "start.sh"), "utf8"), /--port "3000" --threads "2" "\$@"/);
    assert.match(first.stderr, /aiclone corrections export/);
    // DIR/aiclone runs the installed runtime's command with the install folder named (a stand-in main here).
    const main = join(dir, "runtime", "node_modules", "aiclone-runtime", "dist", "cli", "runtimeMain.js");
    await mkdir(dirname(main), { recursive: true });
    await writeFile(
      main,
      "console.log(JSON.stringify({ install: process.env.AICLONE_RUNTIME_INSTALL_DIR, args: process.argv.slice(2) }));\n",
    );
    const ran = spawnSync(join(dir, "aiclone"), ["corrections", "export", "--out", "x y.json"], {
      encoding: "utf8",
      cwd: home,
    });
    assert.equal(ran.status, 0, ran.stderr);
    assert.deepEqual(JSON.parse(ran.stdout), {
      install: dir,
      args: ["corrections", "export", "--out", "x y.json"],
    });
    // An upgrade without --threads keeps the number; a broken one in settings.json is refused, not run.
    const again = await runScript(["--platform", platform.url, "--dir", dir, "--no-start"], home);
    assert.equal(again.code, 0, again.stderr);
    assert.match(await readFile(join(dir, "start.sh"), "utf8"), /--threads "2"/);
    await writeFile(join(dir, "settings.json"), JSON.stringify({ port: 3000, threads: "2; rm -rf ~" }));
    const broken = await runScript(["--platform", platform.url, "--dir", dir, "--no-start"], home);
    assert.notEqual(broken.code, 0);
    assert.match(broken.stderr, /settings\.json: threads/);
    // Without --threads ever given, start.sh passes none (the runtime uses every core).
    const plain = await installDir("no-threads");
    const run = await runScript(["--platform", platform.url, "--dir", plain.dir, "--no-start"], plain.home);
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(await readFile(join(plain.dir, "start.sh"), "utf8"), /--threads/);
  });

  it("over https, follows no redirect and no manifest URL to plain http", async () => {
    const keyFile = join(work, "tls.key");
    const certFile = join(work, "tls.crt");
    const made = spawnSync("openssl", [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-days",
      "1",
      "-keyout",
      keyFile,
      "-out",
      certFile,
    ]);
    assert.equal(made.status, 0, String(made.stderr));
    const tls = { key: await readFile(keyFile, "utf8"), cert: await readFile(certFile, "utf8") };
    const secure = await fakePlatform(bundle, { host: "127.0.0.1", tls });
    const env = { CURL_CA_BUNDLE: certFile };
    try {
      // The https platform's manifest is fine: the install works over TLS.
      secure.manifest = good;
      const ok = await installDir("https-ok");
      const fine = await runScript(["--platform", secure.url, "--dir", ok.dir, "--no-start"], ok.home, env);
      assert.equal(fine.code, 0, fine.stderr);

      // Its bundle URL points at plain http (a downgrade): refused, and the plain server sees nothing.
      platform.requests.length = 0;
      secure.manifest = (base) => ({ ...good(base), url: `${platform.url}/bundle.tar.gz` });
      const a = await installDir("https-downgrade");
      const downgraded = await runScript(
        ["--platform", secure.url, "--dir", a.dir, "--no-start"],
        a.home,
        env,
      );
      assert.notEqual(downgraded.code, 0);
      assert.deepEqual(platform.requests, []);

      // A redirect from the https platform to plain http is not followed.
      const redirecting = createHttpsServer(tls, (_request, response) => {
        response.writeHead(302, { location: `${platform.url}/clones/${CLONE_ID}/bundles/latest/manifest` });
        response.end();
      });
      await new Promise<void>((resolve) => redirecting.listen(0, "127.0.0.1", resolve));
      const redirectUrl = `https://127.0.0.1:${(redirecting.address() as AddressInfo).port}`;
      platform.manifest = (base) => ({ ...good(base), url: `${redirectUrl}/bundle.tar.gz` });
      const b = await installDir("https-redirect");
      const redirected = await runScript(
        ["--platform", redirectUrl, "--dir", b.dir, "--no-start"],
        b.home,
        env,
      );
      await new Promise<void>((resolve) => redirecting.close(() => resolve()));
      assert.notEqual(redirected.code, 0);
      assert.deepEqual(platform.requests, [], "curl did not follow the redirect to http");
      assert.equal(existsSync(join(b.dir, "current")), false);
    } finally {
      await secure.close();
    }
  });

  it("warns loudly when the platform is plain http beyond loopback", async () => {
    const address = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === "IPv4" && !a.internal)?.address;
    if (!address) return; // no non-loopback interface on this machine
    const lan = await fakePlatform(bundle, { host: address }, address);
    try {
      lan.manifest = good;
      const { home, dir } = await installDir("plain-http");
      const run = await runScript(["--platform", lan.url, "--dir", dir, "--no-start"], home);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stderr, /WARNING.*plain http/);
      assert.match(run.stderr, /install token/);
    } finally {
      await lan.close();
    }
  });
});
