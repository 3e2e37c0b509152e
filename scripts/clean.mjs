#!/usr/bin/env node
// Removes build output before a build, so tests of deleted sources cannot linger: dist/ of the platform and
// of every workspace package (package.json "workspaces"), or the paths given.
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Each workspace folder; a pattern may end in `/*` (every folder inside). */
export function workspaceFolders() {
  const { workspaces = [] } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  return workspaces.flatMap((pattern) =>
    pattern.endsWith("/*")
      ? readdirSync(join(root, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => `${pattern.slice(0, -2)}/${entry.name}`)
      : [pattern],
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const paths = process.argv.slice(2);
  const targets = paths.length ? paths : ["dist", ...workspaceFolders().map((folder) => `${folder}/dist`)];
  for (const path of targets) rmSync(join(root, path), { recursive: true, force: true });
}
