// Shared plumbing for the service scripts: detached servers with pid files, waiting until they answer.
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Downloads and builds, kept between runs (ignored by git). */
export const cacheRoot = join(repoRoot, ".cache", "services");
/** Pid files, logs and data of running servers; wiped by `down`. */
export const runRoot = join(repoRoot, ".cache", "services-run");

export function log(name, message) {
  process.stderr.write(`[services:${name}] ${message}\n`);
}

/** Runs a command to completion; rejects with its output when it fails. */
export function run(command, args, options = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolvePromise(output);
      else reject(new Error(`${command} ${args.join(" ")} exited with ${code}:\n${output.slice(-4000)}`));
    });
  });
}

/** Starts a long-running server detached from this process, logging to runDir/server.log; writes runDir/pid. */
export function spawnDetached(command, args, { runDir, env = process.env, cwd = runDir }) {
  mkdirSync(runDir, { recursive: true });
  const logFd = openSync(join(runDir, "server.log"), "a");
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", logFd, logFd] });
  closeSync(logFd);
  child.unref();
  writeFileSync(join(runDir, "pid"), String(child.pid));
  return child.pid;
}

export function readPid(runDir) {
  const file = join(runDir, "pid");
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, "utf8"));
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** A zombie (exited, not yet reaped by its parent) counts as gone: it holds no port and no lock. */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** SIGTERM to the server's process group, SIGKILL after the timeout; removes the pid file. */
export async function stopPid(runDir, timeoutMs = 20_000) {
  const pid = readPid(runDir);
  if (pid && isAlive(pid)) {
    const signal = (s) => {
      try {
        process.kill(-pid, s);
      } catch {
        try {
          process.kill(pid, s);
        } catch {}
      }
    };
    signal("SIGTERM");
    const deadline = Date.now() + timeoutMs;
    while (isAlive(pid) && Date.now() < deadline) await sleep(100);
    if (isAlive(pid)) signal("SIGKILL");
    while (isAlive(pid)) await sleep(50);
  }
  rmSync(join(runDir, "pid"), { force: true });
}

export function tcpAnswers(host, port, timeoutMs = 1_000) {
  return new Promise((resolvePromise) => {
    const socket = connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolvePromise(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** Polls `check` until it resolves true; fails with the server log's tail when the time is up or the server died. */
export async function waitUntil(name, check, { timeoutMs = 120_000, runDir } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    const pid = runDir ? readPid(runDir) : null;
    if (runDir && pid && !isAlive(pid)) break;
    await sleep(250);
  }
  const tail =
    runDir && existsSync(join(runDir, "server.log"))
      ? readFileSync(join(runDir, "server.log"), "utf8").slice(-3000)
      : "";
  throw new Error(`${name} did not answer within ${timeoutMs} ms${tail ? `; its log ends:\n${tail}` : ""}`);
}
