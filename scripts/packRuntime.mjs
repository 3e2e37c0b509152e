#!/usr/bin/env node
// Builds the runtime's npm package (what the one-command installer installs on a user's machine) from the
// compiled tree: dist/runtime, dist/plugins and the runtime's commands, with exactly the dependencies their
// code imports (versions from this package.json), and the per-platform native packages the installer adds
// after `npm install --omit=optional` (so a machine without a GPU gets no CUDA binaries). Writes
// dist/runtime-package/aiclone-runtime-<version>.tgz and runtime-package.json (path, version, sha256).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const out = join(dist, "runtime-package");
const stage = join(root, ".cache", "runtime-package", "stage");
const rootPackage = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8"));

const isTest = (path) => /\.test\.js$/.test(path) || /(^|\/)test(\/|$)/.test(path);
function files(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...files(path));
    else if (name.endsWith(".js") && !isTest(relative(dist, path))) found.push(path);
  }
  return found;
}

const sources = [
  ...files(join(dist, "runtime")),
  ...files(join(dist, "plugins")),
  ...["runtimeMain.js", "commands/runtimeCommands.js", "commands/bundleCommands.js"].map((f) =>
    join(dist, "cli", f),
  ),
];
// Whatever the code imports by bare name is a dependency; a relative import must stay inside the package.
const builtins = new Set(builtinModules);
const packages = new Set();
const included = new Set(sources.map((f) => relative(dist, f)));
for (const file of sources) {
  const code = readFileSync(file, "utf8");
  for (const [, spec] of code.matchAll(/(?:from\s+|import\s*\(\s*)["']([^"']+)["']/g)) {
    if (spec.startsWith("node:") || builtins.has(spec)) continue;
    if (spec.startsWith(".")) {
      const target = relative(dist, resolve(dirname(file), spec));
      if (!included.has(target))
        throw new Error(`${relative(dist, file)} imports ${spec}, outside the runtime package`);
      continue;
    }
    packages.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]);
  }
}
const dependencies = {};
for (const name of [...packages].sort()) {
  const version = rootPackage.dependencies?.[name];
  if (!version) throw new Error(`the runtime imports ${name}, which is not a dependency in package.json`);
  dependencies[name] = version;
}

// Platform binaries that npm would otherwise pick among optional dependencies: by `os-cpu`, CPU first.
const native = {};
const lockEntry = (name) => lock.packages[`node_modules/${name}`];
for (const name of Object.keys(dependencies)) {
  const entry = lockEntry(name);
  for (const [optional, version] of Object.entries(entry?.optionalDependencies ?? {})) {
    const info = lockEntry(optional) ?? {};
    const os = info.os?.[0];
    const cpu = info.cpu?.[0];
    if (!os || !cpu) continue;
    const gpu = /cuda|vulkan/.test(optional);
    const key = `${os}-${cpu}${info.libc?.[0] === "musl" ? "-musl" : ""}`;
    native[key] ??= { cpu: [], gpu: [] };
    native[key][gpu ? "gpu" : "cpu"].push(`${optional}@${version}`);
  }
}
// sharp (through @huggingface/transformers) brings its platform binaries the same way.
const sharp = lockEntry("sharp");
for (const [optional, version] of Object.entries(sharp?.optionalDependencies ?? {})) {
  const info = lockEntry(optional) ?? {};
  if (!info.os?.[0] || !info.cpu?.[0]) continue;
  const key = `${info.os[0]}-${info.cpu[0]}${info.libc?.[0] === "musl" ? "-musl" : ""}`;
  native[key] ??= { cpu: [], gpu: [] };
  native[key].cpu.push(`${optional}@${version}`);
}

rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
for (const file of sources) {
  const target = join(stage, "dist", relative(dist, file));
  mkdirSync(dirname(target), { recursive: true });
  cpSync(file, target);
}
const manifest = {
  name: "aiclone-runtime",
  version: rootPackage.version,
  description: "The local runtime of a published AI clone",
  license: rootPackage.license,
  type: "module",
  engines: rootPackage.engines,
  bin: { "aiclone-runtime": "dist/cli/runtimeMain.js" },
  dependencies,
  aiclone: { native },
};
writeFileSync(join(stage, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
writeFileSync(
  join(stage, "README.md"),
  "# aiclone-runtime\n\nInstalled by the AI Clone Platform's install_clone.sh.\n",
);

mkdirSync(out, { recursive: true });
for (const old of readdirSync(out)) rmSync(join(out, old), { force: true });
const npm = spawnSync("npm", ["pack", "--silent", "--pack-destination", out], {
  cwd: stage,
  encoding: "utf8",
});
if (npm.status !== 0) throw new Error(`npm pack failed: ${npm.stderr}`);
const tarball = join(out, npm.stdout.trim().split("\n").pop());
if (!existsSync(tarball)) throw new Error(`npm pack wrote no ${tarball}`);
const sha256 = createHash("sha256").update(readFileSync(tarball)).digest("hex");
writeFileSync(
  join(out, "runtime-package.json"),
  `${JSON.stringify({ file: relative(out, tarball), version: manifest.version, sha256 }, null, 2)}\n`,
);
console.error(
  `runtime package: ${relative(root, tarball)} (${Object.keys(dependencies).length} dependencies)`,
);
