import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, normalize, relative } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import {
  ADAPTER_FILE,
  ALLOWED,
  isPlatformTestKit,
  isProductionFile,
  isTestFile,
  isTestKit,
  LAYERS,
  type Layer,
  PORTS_ONLY,
  RUNTIME_SIDE,
  runtimeSafeTarget,
} from "./importRules.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
// `import … from "x"`, `export … from "x"`, `import("x")` and a bare `import "x"` (run for its effects).
const IMPORT =
  /(?:^|\s)(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|(?:^|\n)import\s*["']([^"']+)["']/g;

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) yield path;
  }
}

interface ImportEdge {
  from: string;
  to: string;
}

async function edges(): Promise<ImportEdge[]> {
  const found: ImportEdge[] = [];
  for (const layer of LAYERS) {
    for await (const file of sourceFiles(join(root, layer))) {
      const text = await readFile(file, "utf8");
      for (const match of text.matchAll(IMPORT)) {
        const specifier = match[1] ?? match[2] ?? match[3] ?? "";
        if (!specifier.startsWith(".")) continue;
        const target = normalize(join(dirname(file), specifier)).replace(/\.js$/, ".ts");
        found.push({ from: relative(root, file), to: relative(root, target) });
      }
    }
  }
  return found;
}

const layerOf = (path: string) => path.split("/")[0] as Layer;

describe("architecture (DESIGN.md import rules)", () => {
  it("finds the source files it checks", async () => {
    const all = await edges();
    assert.ok(all.length > 50, `only ${all.length} imports found: is the root right?`);
  });

  it("every layer imports only what it may", async () => {
    const broken = (await edges())
      .filter(({ from }) => !isTestFile(from))
      .filter(({ from, to }) => {
        const source = layerOf(from);
        const target = layerOf(to);
        return source !== target && !ALLOWED[source].includes(target);
      })
      .map(({ from, to }) => `${from} → ${to}`);
    assert.deepEqual(broken, []);
  });

  it("application layers reach engines only through ports", async () => {
    const broken = (await edges())
      .filter(
        ({ from, to }) => !isTestFile(from) && PORTS_ONLY.includes(layerOf(from)) && ADAPTER_FILE.test(to),
      )
      .map(({ from, to }) => `${from} → ${to}`);
    assert.deepEqual(broken, []);
  });

  it("the runtime and plugins never import platform code, even in tests", async () => {
    const broken = (await edges())
      .filter(({ from, to }) => RUNTIME_SIDE.includes(layerOf(from)) && !runtimeSafeTarget(to))
      .map(({ from, to }) => `${from} → ${to}`);
    assert.deepEqual(broken, []);
  });

  it("production code never imports the test kit or a test file", async () => {
    const broken = (await edges())
      .filter(({ from, to }) => isProductionFile(from) && (isTestKit(to) || isTestFile(to)))
      .map(({ from, to }) => `${from} → ${to}`);
    assert.deepEqual(broken, []);
  });

  it("benchmarks and the test kit reach test helpers only through testing/, never a */test/ file", async () => {
    const broken = (await edges())
      .filter(({ from, to }) => (layerOf(from) === "bench" || isTestKit(from)) && isTestFile(to))
      .map(({ from, to }) => `${from} → ${to}`);
    assert.deepEqual(broken, []);
  });

  it("the test kit outside testing/platform/ is runtime-safe", async () => {
    const broken = (await edges())
      .filter(({ from, to }) => isTestKit(from) && !isPlatformTestKit(from) && !runtimeSafeTarget(to))
      .map(({ from, to }) => `${from} → ${to}`);
    assert.deepEqual(broken, []);
  });

  it("the rule data itself catches a forbidden edge", () => {
    assert.ok(!ALLOWED.domain.includes("infra"));
    assert.ok(ADAPTER_FILE.test("infra/eventstore/sqliteEventStore.ts"));
    assert.ok(!ADAPTER_FILE.test("infra/eventstore/eventStore.ts"));
    assert.ok(!isProductionFile("testing/until.ts") && !isProductionFile("cli/test/importRules.ts"));
    assert.ok(isProductionFile("trainer-gateway/baseModels.ts"));
    assert.ok(runtimeSafeTarget("testing/sharedData.ts"));
    assert.ok(!runtimeSafeTarget("testing/platform/platformHarness.ts"));
    assert.ok(!runtimeSafeTarget("cli/platform/startPlatform.ts"));
  });
});
