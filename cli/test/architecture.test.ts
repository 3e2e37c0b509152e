import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { builtinModules } from "node:module";
import { dirname, join, normalize, relative } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import {
  ADAPTER_FILE,
  ALLOWED,
  isProductionFile,
  isTestFile,
  isTestKit,
  LAYERS,
  type Layer,
  PACKAGE_DEPENDENCIES,
  PORTS_ONLY,
  RUNTIME_IMPORTERS,
} from "./importRules.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
// Static imports and re-exports, dynamic imports (a template's fixed head too) and bare imports run for
// their effects.
const IMPORT =
  /(?:^|\s)(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["'`]([^"'`$]+)["'`]\s*\)|(?:^|\n)import\s*["']([^"']+)["']/g;

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (entry.name === "node_modules" || entry.name === "dist" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) yield path;
  }
}

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  /** Loaded on demand only (the installer adds them when a bundle needs them). */
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  workspaces?: string[];
}
const manifestOf = async (folder: string): Promise<Manifest> =>
  JSON.parse(await readFile(join(root, folder, "package.json"), "utf8"));

async function workspaceFolders(): Promise<string[]> {
  const { workspaces = [] } = await manifestOf(".");
  const folders: string[] = [];
  for (const pattern of workspaces) {
    if (!pattern.endsWith("/*")) folders.push(pattern);
    else
      for (const entry of await readdir(join(root, pattern.slice(0, -2)), { withFileTypes: true }))
        if (entry.isDirectory()) folders.push(`${pattern.slice(0, -2)}/${entry.name}`);
  }
  return folders;
}

interface ImportEdge {
  from: string;
  /** A relative import: the file it reaches (repository-relative). */
  to?: string;
  /** A bare import: the package it names (`@scope/name` or `name`), node builtins left out. */
  packageName?: string;
}

const builtins = new Set(builtinModules);
const packageOf = (specifier: string) =>
  specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : (specifier.split("/")[0] ?? "");

async function edgesUnder(folder: string): Promise<ImportEdge[]> {
  const found: ImportEdge[] = [];
  for await (const file of sourceFiles(join(root, folder))) {
    const text = await readFile(file, "utf8");
    const from = relative(root, file);
    for (const match of text.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? match[3] ?? "";
      if (specifier.startsWith("."))
        found.push({
          from,
          to: relative(root, normalize(join(dirname(file), specifier)).replace(/\.js$/, ".ts")),
        });
      else if (!specifier.startsWith("node:") && !builtins.has(specifier))
        found.push({ from, packageName: packageOf(specifier) });
    }
  }
  return found;
}

/** Imports of the platform's files (the workspace packages inside its folders, testing/kit, left out). */
async function platformEdges(): Promise<ImportEdge[]> {
  const folders = await workspaceFolders();
  return (await Promise.all(LAYERS.map(edgesUnder)))
    .flat()
    .filter(({ from }) => !folders.some((folder) => from.startsWith(`${folder}/`)));
}
const layerOf = (path: string) => path.split("/")[0] as Layer;
const isHarness = (path: string) => path.startsWith("testing/platform/");
const platformLayer = (path: string) =>
  LAYERS.includes(layerOf(path)) && (!isTestKit(path) || isHarness(path));
/** Whether a workspace package name matches a rule's name (`@aiclone/plugin-*` matches every plugin). */
const matches = (name: string, rule: string) =>
  rule.endsWith("*") ? name.startsWith(rule.slice(0, -1)) : name === rule;
const ruleFor = (name: string) =>
  Object.entries(PACKAGE_DEPENDENCIES).find(([rule]) => matches(name, rule))?.[1];

describe("architecture: the platform's layers (DESIGN.md import rules)", () => {
  it("finds the source files it checks", async () => {
    const all = await platformEdges();
    assert.ok(all.filter((e) => e.to).length > 50, `only ${all.length} imports found: is the root right?`);
  });

  it("every layer imports only what it may", async () => {
    const broken = (await platformEdges())
      .filter(({ from, to }) => to && !isTestFile(from) && platformLayer(to))
      .filter(
        ({ from, to = "" }) => layerOf(from) !== layerOf(to) && !ALLOWED[layerOf(from)].includes(layerOf(to)),
      )
      .map(({ from, to }) => `${from} → ${to}`);
    assert.deepEqual(broken, []);
  });

  it("application layers reach engines only through ports", async () => {
    const broken = (await platformEdges())
      .filter(
        ({ from, to }) =>
          to && !isTestFile(from) && PORTS_ONLY.includes(layerOf(from)) && ADAPTER_FILE.test(to),
      )
      .map(({ from, to }) => `${from} → ${to}`);
    assert.deepEqual(broken, []);
  });

  it("production code never imports the test harness, a test file or the test kit", async () => {
    const broken = (await platformEdges())
      .filter(({ from }) => isProductionFile(from))
      .filter(
        ({ to, packageName }) =>
          (to && (isTestKit(to) || isTestFile(to))) || packageName === "@aiclone/testing",
      )
      .map(({ from, to, packageName }) => `${from} → ${to ?? packageName}`);
    assert.deepEqual(broken, []);
  });

  it("benchmarks and the harness reach test helpers only through testing/, never a */test/ file", async () => {
    const broken = (await platformEdges())
      .filter(({ from, to }) => to && (layerOf(from) === "bench" || isTestKit(from)) && isTestFile(to))
      .map(({ from, to }) => `${from} → ${to}`);
    assert.deepEqual(broken, []);
  });

  it("reaches a workspace package by its name only, never by a relative path into its folder", async () => {
    const folders = await workspaceFolders();
    const broken = (await platformEdges())
      .filter(({ to }) => to && folders.some((folder) => to.startsWith(`${folder}/`)))
      .map(({ from, to }) => `${from} → ${to}`);
    assert.deepEqual(broken, []);
  });

  it("imports the runtime package only where the rules say, and every package it names is declared", async () => {
    const manifest = await manifestOf(".");
    const declared = (dev: boolean) =>
      new Set(
        Object.keys({
          ...manifest.dependencies,
          ...manifest.optionalDependencies,
          ...(dev ? manifest.devDependencies : {}),
        }),
      );
    const broken = (await platformEdges())
      .filter(({ packageName }) => packageName)
      .filter(({ from, packageName = "" }) => {
        const production = isProductionFile(from);
        if (packageName === "aiclone-runtime" && production && !RUNTIME_IMPORTERS.includes(layerOf(from)))
          return true;
        return !declared(!production).has(packageName);
      })
      .map(({ from, packageName }) => `${from} → ${packageName}`);
    assert.deepEqual(broken, []);
  });
});

describe("architecture: the workspace packages (runtime, plugin SDK, plugins, test kit)", () => {
  it("each package's relative imports stay inside its own folder", async () => {
    const broken: string[] = [];
    for (const folder of await workspaceFolders())
      for (const { from, to } of await edgesUnder(folder))
        if (to && !to.startsWith(`${folder}/`)) broken.push(`${from} → ${to}`);
    assert.deepEqual(broken, []);
  });

  it("each package imports only what its package.json declares (a test also its devDependencies)", async () => {
    const broken: string[] = [];
    for (const folder of await workspaceFolders()) {
      const manifest = await manifestOf(folder);
      const production = new Set([
        manifest.name,
        ...Object.keys(manifest.dependencies ?? {}),
        ...Object.keys(manifest.optionalDependencies ?? {}),
      ]);
      const forTests = new Set([...production, ...Object.keys(manifest.devDependencies ?? {})]);
      for (const { from, packageName } of await edgesUnder(folder))
        if (packageName && !(isTestFile(from) ? forTests : production).has(packageName))
          broken.push(`${from} → ${packageName} (not in ${folder}/package.json)`);
    }
    assert.deepEqual(broken, []);
  });

  it("packages depend on one another only as the rules say: plugins on the SDK alone, the runtime on no plugin", async () => {
    const broken: string[] = [];
    for (const folder of await workspaceFolders()) {
      const manifest = await manifestOf(folder);
      const rule = ruleFor(manifest.name);
      if (!rule) {
        broken.push(`${manifest.name}: no rule in PACKAGE_DEPENDENCIES`);
        continue;
      }
      for (const [kind, allowed] of [
        ["dependencies", rule.dependencies],
        ["devDependencies", [...rule.dependencies, ...rule.devDependencies]],
      ] as const)
        for (const name of Object.keys(manifest[kind] ?? {}))
          if (ruleFor(name) && !allowed.some((r) => matches(name, r)))
            broken.push(`${manifest.name} ${kind} → ${name}`);
    }
    assert.deepEqual(broken, []);
  });

  it("the rule data itself catches a forbidden edge", () => {
    assert.ok(!ALLOWED.domain.includes("infra"));
    assert.ok(ADAPTER_FILE.test("infra/eventstore/sqliteEventStore.ts"));
    assert.ok(!ADAPTER_FILE.test("infra/eventstore/eventStore.ts"));
    assert.ok(
      !isProductionFile("testing/platform/platformHarness.ts") &&
        !isProductionFile("cli/test/importRules.ts"),
    );
    assert.ok(isProductionFile("trainer-gateway/baseModels.ts"));
    assert.ok(!ruleFor("@aiclone/plugin-web")?.dependencies.some((r) => matches("aiclone-runtime", r)));
    assert.ok(!ruleFor("aiclone-runtime")?.dependencies.some((r) => matches("@aiclone/plugin-web", r)));
    assert.ok(!RUNTIME_IMPORTERS.includes("api") && !RUNTIME_IMPORTERS.includes("domain"));
  });
});
