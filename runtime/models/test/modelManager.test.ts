import assert from "node:assert/strict";
import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { TINY_MODEL_SHA256, tinyModelPath } from "@aiclone/testing/sharedData";
import { fileSha256 } from "../fileSha256.js";
import { cachedModelFileName } from "../modelCache.js";
import { ensureBaseModel } from "../modelManager.js";

type Mode = "normal" | "dropFirst" | "ignoreRange";

/** Serves the tiny model like a CDN would, and can misbehave on purpose. */
class ModelServer {
  mode: Mode = "normal";
  requests: { range: string | undefined }[] = [];
  private server: Server | undefined;
  constructor(private readonly body: Buffer) {}

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      this.requests.push({ range: req.headers.range });
      const range = req.headers.range?.match(/^bytes=(\d+)-$/);
      const start = range && this.mode !== "ignoreRange" ? Number(range[1]) : 0;
      if (start >= this.body.length) {
        res.writeHead(416).end();
        return;
      }
      const slice = this.body.subarray(start);
      res.writeHead(start > 0 ? 206 : 200, {
        "content-length": slice.length,
        "accept-ranges": "bytes",
        ...(start > 0
          ? { "content-range": `bytes ${start}-${this.body.length - 1}/${this.body.length}` }
          : {}),
      });
      if (this.mode === "dropFirst" && this.requests.length === 1) {
        // Half the body, then the connection dies.
        res.write(slice.subarray(0, Math.floor(slice.length / 2)), () => res.destroy());
        return;
      }
      res.end(slice);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/models/tiny.gguf`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }
}

const model = (url: string, sha256 = TINY_MODEL_SHA256) => ({ name: "llama-2-tiny-random", url, sha256 });

describe("model manager (downloads over a local HTTP server)", () => {
  let root: string;
  let cacheDir: string;
  let server: ModelServer;
  let url: string;
  let size: number;
  const target = () => join(cacheDir, cachedModelFileName("llama-2-tiny-random", TINY_MODEL_SHA256));
  const fast = { retryDelayMs: 10, reserveBytes: 0 };

  before(async () => {
    root = await mkdtemp(join(tmpdir(), "aiclone-models-"));
    const body = await readFile(tinyModelPath());
    size = body.length;
    server = new ModelServer(body);
    url = await server.start();
  });
  after(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
  });
  beforeEach(async () => {
    cacheDir = await mkdtemp(join(root, "cache-"));
    server.mode = "normal";
    server.requests = [];
  });

  it("downloads with progress, verifies, and a later run starts offline", async () => {
    const progress: number[] = [];
    const first = await ensureBaseModel(model(url), {
      cacheDir,
      ...fast,
      onProgress: (p) => progress.push(p.receivedBytes),
    });
    assert.equal(first.source, "download");
    assert.equal(first.path, target());
    assert.equal(await fileSha256(first.path), TINY_MODEL_SHA256);
    assert.equal(progress.at(-1), size);
    assert.ok(progress.length > 1);
    await assert.rejects(stat(`${target()}.part`), { code: "ENOENT" });

    const offline = new ModelServer(Buffer.alloc(0));
    const deadUrl = await offline.start();
    await offline.close();
    const second = await ensureBaseModel(model(deadUrl), { cacheDir, ...fast });
    assert.deepEqual(second, { path: target(), source: "cache" });
  });

  it("keeps the part after a dropped connection and resumes it with Range on the next run", async () => {
    server.mode = "dropFirst";
    await assert.rejects(
      ensureBaseModel(model(url), { cacheDir, ...fast, retries: 0 }),
      /broke off after .*run again to resume/,
    );
    const partSize = (await stat(`${target()}.part`)).size;
    assert.ok(partSize > 0 && partSize < size, `part of ${partSize} bytes`);
    await assert.rejects(stat(target()), { code: "ENOENT" });

    const resumed = await ensureBaseModel(model(url), { cacheDir, ...fast });
    assert.equal(resumed.source, "download");
    assert.equal(server.requests.at(-1)?.range, `bytes=${partSize}-`);
    assert.equal(await fileSha256(resumed.path), TINY_MODEL_SHA256);
  });

  it("retries a dropped connection within one run", async () => {
    server.mode = "dropFirst";
    const result = await ensureBaseModel(model(url), { cacheDir, ...fast, retries: 2 });
    assert.equal(server.requests.length, 2);
    assert.match(server.requests[1]?.range ?? "", /^bytes=\d+-$/);
    assert.equal(await fileSha256(result.path), TINY_MODEL_SHA256);
  });

  it("starts from zero when the server ignores Range", async () => {
    server.mode = "ignoreRange";
    await writeFile(`${target()}.part`, (await readFile(tinyModelPath())).subarray(0, 1000));
    const result = await ensureBaseModel(model(url), { cacheDir, ...fast });
    assert.equal(server.requests[0]?.range, "bytes=1000-");
    assert.equal((await stat(result.path)).size, size);
    assert.equal(await fileSha256(result.path), TINY_MODEL_SHA256);
  });

  it("deletes a download whose sha256 does not match and says so", async () => {
    const wrong = "ab".repeat(32);
    await assert.rejects(
      ensureBaseModel(model(url, wrong), { cacheDir, ...fast }),
      new RegExp(
        `sha256 mismatch .*expected ${wrong}, got ${TINY_MODEL_SHA256}; the downloaded file was deleted`,
      ),
    );
    const wrongTarget = join(cacheDir, cachedModelFileName("llama-2-tiny-random", wrong));
    await assert.rejects(stat(`${wrongTarget}.part`), { code: "ENOENT" });
    await assert.rejects(stat(wrongTarget), { code: "ENOENT" });
  });

  it("refuses to start a download that does not fit the disk", async () => {
    await assert.rejects(
      ensureBaseModel(model(url), {
        cacheDir,
        ...fast,
        reserveBytes: 0,
        statfs: async () => ({ bavail: 10, bsize: 4096 }),
      }),
      /not enough free space in .*: the model needs 1\.\d MiB more/,
    );
    await assert.rejects(stat(target()), { code: "ENOENT" });
  });

  it("two concurrent starts download once and both get the verified file", async () => {
    const [a, b] = await Promise.all([
      ensureBaseModel(model(url), { cacheDir, ...fast }),
      ensureBaseModel(model(url), { cacheDir, ...fast }),
    ]);
    assert.equal(a.path, b.path);
    assert.deepEqual([a.source, b.source].sort(), ["cache", "download"]);
    assert.equal(server.requests.length, 1);
    assert.equal(await fileSha256(a.path), TINY_MODEL_SHA256);
  });

  it("uses a local file after checking its sha256 once", async () => {
    const local = join(root, "local.gguf");
    await copyFile(tinyModelPath(), local);
    const verified: string[] = [];
    const onVerify = (path: string) => verified.push(path);
    const source = { ...model(url), localPath: local };
    assert.deepEqual(await ensureBaseModel(source, { cacheDir, onVerify }), { path: local, source: "local" });
    await ensureBaseModel(source, { cacheDir, onVerify });
    assert.equal(verified.length, 1, "the second start trusts the stamp");
    assert.equal(server.requests.length, 0);

    await writeFile(local, "not the model");
    await assert.rejects(ensureBaseModel(source, { cacheDir, onVerify }), /baseModel\.path .*: sha256 is/);
  });

  it("says when there is neither a local file nor a URL", async () => {
    await assert.rejects(
      ensureBaseModel(
        { name: "x", url: null, sha256: TINY_MODEL_SHA256, localPath: join(root, "gone.gguf") },
        { cacheDir },
      ),
      /missing and the bundle has no URL/,
    );
  });

  it("refuses a model without a verified sha256 before touching the network or a local file", async () => {
    const local = join(root, "unverified.gguf");
    await copyFile(tinyModelPath(), local);
    for (const sha256 of [null, "", "not-a-hash"]) {
      await assert.rejects(ensureBaseModel({ ...model(url), sha256 }, { cacheDir, ...fast }), (e: Error) => {
        assert.equal(e.name, "ModelUnavailableError");
        assert.match(e.message, /no verified sha256 is pinned .* will not download or use it/);
        assert.match(e.message, /baseModels\.llama-2-tiny-random\.sha256/);
        return true;
      });
      await assert.rejects(ensureBaseModel({ ...model(url), sha256, localPath: local }, { cacheDir }), {
        name: "ModelUnavailableError",
      });
    }
    assert.equal(server.requests.length, 0, "nothing was downloaded");
    await assert.rejects(stat(`${target()}.part`), { code: "ENOENT" });
  });
});
