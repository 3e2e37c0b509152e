// S3 for the integration tests: versitygw (Apache-2.0) built from source with `go install`, serving a
// folder under the run directory through its posix backend. Not MinIO: its AGPL licence rules it out.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { run, spawnDetached, stopPid, tcpAnswers, waitUntil } from "./lib.mjs";

const VERSION = "v1.8.0";
const MODULE = "github.com/versity/versitygw/cmd/versitygw";
const HOST = "127.0.0.1";
const PORT = 19000;

const env = {
  S3_ENDPOINT: `http://${HOST}:${PORT}`,
  S3_ACCESS_KEY_ID: "aiclone-test",
  S3_SECRET_ACCESS_KEY: "aiclone-test-secret",
  S3_REGION: "us-east-1",
};

const binaryOf = (cacheDir) => join(cacheDir, "bin", "versitygw");
/** Records which version the cached binary is, so bumping VERSION rebuilds it. */
const stampOf = (cacheDir) => join(cacheDir, "bin", "versitygw.version");

async function listBucketsSucceeds() {
  const client = new S3Client({
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY },
    maxAttempts: 1,
  });
  try {
    await client.send(new ListBucketsCommand({}), { abortSignal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

export const service = {
  name: "s3",
  env,

  async install({ cacheDir, log }) {
    const binary = binaryOf(cacheDir);
    const stamp = stampOf(cacheDir);
    if (existsSync(binary) && existsSync(stamp) && readFileSync(stamp, "utf8").trim() === VERSION) return;
    log(`building versitygw ${VERSION} with go install (a few minutes on 2 cores)`);
    const started = Date.now();
    rmSync(stamp, { force: true });
    await run("go", ["install", `${MODULE}@${VERSION}`], {
      env: { ...process.env, GOBIN: join(cacheDir, "bin") },
    });
    writeFileSync(stamp, `${VERSION}\n`);
    log(`built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  },

  async start({ cacheDir, runDir, log }) {
    const data = join(runDir, "data");
    // Metadata in a sidecar folder rather than xattrs, so the data folder may sit on any file system.
    const meta = join(runDir, "meta");
    mkdirSync(data, { recursive: true });
    mkdirSync(meta, { recursive: true });
    if (await tcpAnswers(HOST, PORT)) throw new Error(`s3: ${HOST}:${PORT} is taken by another process`);
    log(`starting versitygw ${VERSION} on ${env.S3_ENDPOINT}`);
    spawnDetached(
      binaryOf(cacheDir),
      ["--port", `${HOST}:${PORT}`, "--quiet", "posix", "--sidecar", meta, data],
      {
        runDir,
        env: {
          ...process.env,
          // Through the environment rather than argv, so `ps` does not show the secret.
          ROOT_ACCESS_KEY_ID: env.S3_ACCESS_KEY_ID,
          ROOT_SECRET_ACCESS_KEY: env.S3_SECRET_ACCESS_KEY,
          VGW_REGION: env.S3_REGION,
        },
      },
    );
    await waitUntil("s3", listBucketsSucceeds, { timeoutMs: 60_000, runDir });
  },

  async stop({ runDir }) {
    await stopPid(runDir);
  },

  async isUp() {
    return (await tcpAnswers(HOST, PORT)) && (await listBucketsSucceeds());
  },
};
