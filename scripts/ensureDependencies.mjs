#!/usr/bin/env node
// The install step of `npm start` and `npm test`: runs `npm ci` when node_modules is missing or older than
// package-lock.json, so both commands work on a fresh clone and stay quick afterwards.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const lock = join(root, "package-lock.json");
// npm writes this hidden lock file at the end of every install into node_modules.
const installed = join(root, "node_modules", ".package-lock.json");

const upToDate = existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs;
if (!upToDate) {
  console.error("installing dependencies (npm ci)");
  const npm = process.env.npm_execpath
    ? spawnSync(process.execPath, [process.env.npm_execpath, "ci"], { cwd: root, stdio: "inherit" })
    : spawnSync("npm", ["ci"], { cwd: root, stdio: "inherit" });
  process.exit(npm.status ?? 1);
}
