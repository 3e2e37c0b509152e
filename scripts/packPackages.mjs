#!/usr/bin/env node
// Packs what a person's machine installs, one npm tarball per workspace package: the runtime
// (aiclone-runtime), the plugin SDK (@aiclone/plugin-sdk) and each built-in plugin (@aiclone/plugin-*), from
// their built dist/ folders and their own package.json (dependencies declared there, not guessed). Each is
// staged first so the tarball's package.json carries no devDependencies and, for the runtime, the
// per-platform native packages the installer adds after `npm install --omit=optional` (so a machine without
// a GPU gets no CUDA binaries). Writes dist/packages/*.tgz and dist/packages/packages.json
// ([{ name, plugin?, version, file, sha256 }]), which the platform serves to install_clone.sh.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "dist", "packages");
const stageRoot = join(root, ".cache", "packages");
const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8"));
const PUBLISHED = [
  "plugin-sdk",
  "runtime",
  ...readdirSync(join(root, "plugins"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, "plugins", entry.name, "package.json")))
    .map((entry) => `plugins/${entry.name}`),
];

const isTest = (path) => /\.test\.|(^|\/)test(\/|$)|\.tsbuildinfo$/.test(path);
const lockEntry = (name) => lock.packages[`node_modules/${name}`];
const platformKey = (info) => `${info.os[0]}-${info.cpu[0]}${info.libc?.[0] === "musl" ? "-musl" : ""}`;

/** Per-platform binaries npm would otherwise pick among optional dependencies: by `os-cpu`, CPU and GPU. */
function nativeBinaries(dependencies) {
  const native = {};
  const add = (optional, version, group) => {
    const info = lockEntry(optional) ?? {};
    if (!info.os?.[0] || !info.cpu?.[0]) return;
    const key = platformKey(info);
    native[key] ??= { cpu: [], gpu: [], transformers: [] };
    native[key][group ?? (/cuda|vulkan/.test(optional) ? "gpu" : "cpu")].push(`${optional}@${version}`);
  };
  for (const name of Object.keys(dependencies))
    for (const [optional, version] of Object.entries(lockEntry(name)?.optionalDependencies ?? {}))
      add(optional, version);
  // sharp (through @huggingface/transformers, installed only for transformers embeddings) brings its platform
  // binaries the same way.
  for (const [optional, version] of Object.entries(lockEntry("sharp")?.optionalDependencies ?? {}))
    add(optional, version, "transformers");
  return native;
}

function stage(folder) {
  const source = join(root, folder);
  const manifest = JSON.parse(readFileSync(join(source, "package.json"), "utf8"));
  if (!existsSync(join(source, "dist"))) throw new Error(`${folder}/dist is missing: run tsc -b first`);
  const target = join(stageRoot, folder.replaceAll("/", "-"));
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  cpSync(join(source, "dist"), join(target, "dist"), {
    recursive: true,
    filter: (path) => !isTest(relative(join(source, "dist"), path)),
  });
  if (existsSync(join(source, "README.md"))) cpSync(join(source, "README.md"), join(target, "README.md"));
  delete manifest.devDependencies;
  if (manifest.name === "aiclone-runtime")
    manifest.aiclone = { ...manifest.aiclone, native: nativeBinaries(manifest.dependencies) };
  writeFileSync(join(target, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return { target, manifest };
}

function pack({ target, manifest }) {
  const npm = spawnSync("npm", ["pack", "--silent", "--pack-destination", out], {
    cwd: target,
    encoding: "utf8",
  });
  if (npm.status !== 0) throw new Error(`npm pack failed for ${manifest.name}: ${npm.stderr}`);
  const file = npm.stdout.trim().split("\n").pop();
  const sha256 = createHash("sha256")
    .update(readFileSync(join(out, file)))
    .digest("hex");
  return { name: manifest.name, plugin: manifest.aiclone?.plugin, version: manifest.version, file, sha256 };
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const packed = PUBLISHED.map((folder) => pack(stage(folder)));
writeFileSync(join(out, "packages.json"), `${JSON.stringify(packed, null, 2)}\n`);
console.error(`packages: ${packed.map((p) => `${p.name}@${p.version}`).join(", ")} → ${relative(root, out)}`);
