#!/usr/bin/env node
import { spawnSync } from "node:child_process";
// Makes sure the Python trainer (trainer/, its own pyproject.toml with exact pins) is installed into an
// ignored virtual env, .cache/trainer-venv. The first run downloads torch and friends (several GB with the
// CUDA libraries PyPI's Linux torch wheel pulls in); a stamp holding a hash of pyproject.toml makes later
// runs return at once. Prints the interpreter path on stdout when ready; progress goes to stderr.
//
//   node scripts/ensureTrainerEnv.mjs            # installs trainer[test]
//   AICLONE_TRAINING__EXTRAS=gpu,test node scripts/ensureTrainerEnv.mjs   # adds bitsandbytes (CUDA workers)
//   AICLONE_TRAINING__VENV=/some/dir              # another venv location
// Both are the platform's own settings too (training.venv, training.extras), so one name serves both.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const trainerDir = join(root, "trainer");
const pyproject = join(trainerDir, "pyproject.toml");
const venv = resolve(process.env.AICLONE_TRAINING__VENV ?? join(root, ".cache", "trainer-venv"));
const extras = (process.env.AICLONE_TRAINING__EXTRAS ?? "test")
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);
const python =
  process.platform === "win32" ? join(venv, "Scripts", "python.exe") : join(venv, "bin", "python");
const stampFile = join(venv, ".aiclone-trainer-stamp");

function log(message) {
  process.stderr.write(`[trainer-env] ${message}\n`);
}

function fail(message) {
  log(`error: ${message}`);
  process.exit(1);
}

function run(cmd, args) {
  log(`$ ${cmd} ${args.join(" ")}`);
  const started = Date.now();
  // pip's own progress goes straight to the terminal (stderr) so a long download is visible.
  const result = spawnSync(cmd, args, { stdio: ["ignore", process.stderr, process.stderr], cwd: root });
  if (result.error) fail(`${cmd} could not start: ${result.error.message}`);
  if (result.status !== 0) fail(`${cmd} ${args[0]} ... exited with ${result.status}`);
  log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (!existsSync(pyproject)) fail(`missing ${pyproject}`);
const stamp = createHash("sha256")
  .update(readFileSync(pyproject))
  .update(`\nextras=${extras.join(",")}\n`)
  .digest("hex");

if (existsSync(python) && existsSync(stampFile) && readFileSync(stampFile, "utf8").trim() === stamp) {
  process.stdout.write(`${python}\n`);
  process.exit(0);
}

const systemPython = process.env.PYTHON ?? (process.platform === "win32" ? "python" : "python3");
const version = spawnSync(systemPython, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], {
  encoding: "utf8",
});
if (version.status !== 0) fail(`${systemPython} not found; install Python 3.10-3.12 or set PYTHON`);
const [major, minor] = version.stdout.trim().split(".").map(Number);
if (major !== 3 || minor < 10 || minor > 12)
  fail(`Python ${version.stdout.trim()} found; the trainer needs 3.10-3.12`);

if (!existsSync(python)) {
  log(`creating virtual env ${venv} (Python ${major}.${minor})`);
  rmSync(venv, { recursive: true, force: true });
  run(systemPython, ["-m", "venv", venv]);
} else {
  log(`updating virtual env ${venv} (pyproject.toml or extras changed)`);
}
// A stale stamp must not survive a failed install.
rmSync(stampFile, { force: true });
run(python, ["-m", "pip", "install", "--disable-pip-version-check", "--upgrade", "pip==25.3"]);
const target = extras.length ? `${trainerDir}[${extras.join(",")}]` : trainerDir;
log("installing the trainer and its pinned dependencies (torch is large: the first run takes minutes)");
run(python, ["-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "on", "-e", target]);
run(python, [
  "-c",
  "import torch, transformers, peft, gguf, aiclone_trainer; print('trainer env ok: torch', torch.__version__, 'transformers', transformers.__version__, 'peft', peft.__version__)",
]);
writeFileSync(stampFile, `${stamp}\n`);
log(`ready: ${python}`);
process.stdout.write(`${python}\n`);
