#!/usr/bin/env node
// Runs the compiled tests with node's own runner. Tiers: unit (no servers), int (*.int.test.js), all.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const tier = process.argv[2] ?? "all";
const extra = process.argv.slice(3);
const root = "dist";

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith(".test.js")) out.push(path);
  }
  return out;
}

const files = walk(root, [])
  .filter((f) =>
    tier === "unit" ? !f.endsWith(".int.test.js") : tier === "int" ? f.endsWith(".int.test.js") : true,
  )
  .filter((f) => extra.length === 0 || extra.some((e) => f.includes(e)))
  .sort();
if (files.length === 0) {
  console.error(`no test files for tier '${tier}'`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ["--enable-source-maps", "--test", "--test-reporter=spec", "--test-concurrency=2", ...files],
  { stdio: "inherit", env: { ...process.env, NODE_ENV: "test" } },
);
process.exit(result.status ?? 1);
