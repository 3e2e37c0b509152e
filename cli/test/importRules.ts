/** The import rules of DESIGN.md ("Layout and who may import what"), as data the architecture test checks. */

export const LAYERS = [
  "domain",
  "infra",
  "projections",
  "pipeline",
  "trainer-gateway",
  "api",
  "bundle",
  "cli",
  "bench",
  "testing",
] as const;
export type Layer = (typeof LAYERS)[number];

/** Concrete adapters: only the composition roots (cli), tests and benchmarks may import them. */
export const ADAPTER_FILE =
  /^infra\/[^/]+\/(sqlite|eventStoreDb|inProcess|local|kafka|mongo|s3|ferret|pinecone|lance)[^/]*$/;

const application: Layer[] = ["domain", "infra", "projections"];

/** Which layers each layer may import (itself always). Test code is checked apart: see isTestFile. */
export const ALLOWED: Record<Layer, Layer[]> = {
  domain: [],
  infra: [],
  projections: ["domain", "infra"],
  pipeline: ["domain", "infra"],
  "trainer-gateway": ["domain", "infra"],
  api: [...application],
  bundle: ["domain", "infra"],
  cli: LAYERS.filter((layer) => layer !== "bench" && layer !== "testing"),
  bench: [...LAYERS],
  // The platform's test harness (testing/platform/) drives the whole platform.
  testing: LAYERS.filter((layer) => layer !== "bench"),
};

/** Layers that must never reach a concrete adapter (they get ports injected from cli/). */
export const PORTS_ONLY: Layer[] = ["projections", "pipeline", "trainer-gateway", "api", "bundle"];

/** A test or a test's helper: `*.test.ts`, anything under a `test/` or `fixtures/` folder. */
export const isTestFile = (path: string) => /\.test\.ts$/.test(path) || /(^|\/)(test|fixtures)\//.test(path);

/** The platform's test harness (testing/platform/): tests and benches import it, production code never does. */
export const isTestKit = (path: string) => path.startsWith("testing/");

/** Code that ships: neither a test, nor the test harness, nor a benchmark. */
export const isProductionFile = (path: string) =>
  !isTestFile(path) && !isTestKit(path) && !path.startsWith("bench/");

/**
 * The workspace packages (package.json "workspaces"): the runtime, the plugin SDK, each plugin and the test
 * kit. Each may import, by name, only what its own package.json declares; the platform reaches them by name
 * only, never by a relative path. Which package may depend on which:
 */
export const PACKAGE_DEPENDENCIES: Record<string, { dependencies: string[]; devDependencies: string[] }> = {
  "@aiclone/plugin-sdk": { dependencies: [], devDependencies: [] },
  "@aiclone/testing": { dependencies: [], devDependencies: [] },
  // A plugin sees the SDK, never the runtime (nor another plugin).
  "@aiclone/plugin-*": { dependencies: ["@aiclone/plugin-sdk"], devDependencies: ["@aiclone/testing"] },
  // The runtime imports no plugin: the bundle names them and its CLI loads them by package name. Its tests
  // run the real ones.
  "aiclone-runtime": {
    dependencies: ["@aiclone/plugin-sdk"],
    devDependencies: ["@aiclone/plugin-*", "@aiclone/testing"],
  },
};

/** Platform layers that may import the runtime package (the bundle format, its commands, the fidelity report). */
export const RUNTIME_IMPORTERS: Layer[] = ["bundle", "cli", "bench", "testing"];
