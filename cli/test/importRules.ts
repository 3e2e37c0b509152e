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
  "runtime",
  "plugins",
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
  // The bundle format is the runtime's (it ships alone); the platform's publisher reads that one schema.
  bundle: ["domain", "infra", "runtime"],
  cli: LAYERS.filter((layer) => layer !== "bench" && layer !== "testing"),
  runtime: [],
  plugins: ["runtime"],
  bench: [...LAYERS],
  // The test kit drives the whole platform (testing/platform/); its other parts are runtime-safe, see below.
  testing: LAYERS.filter((layer) => layer !== "bench"),
};

/** Layers that must never reach a concrete adapter (they get ports injected from cli/). */
export const PORTS_ONLY: Layer[] = ["projections", "pipeline", "trainer-gateway", "api", "bundle"];

/** A test or a test's helper: `*.test.ts`, anything under a `test/` or `fixtures/` folder. */
export const isTestFile = (path: string) => /\.test\.ts$/.test(path) || /(^|\/)(test|fixtures)\//.test(path);

/** The shared test kit (testing/): tests and benches import it, production code never does. */
export const isTestKit = (path: string) => path.startsWith("testing/");

/** The kit's parts that start a platform; everything else in testing/ is runtime-safe. */
export const isPlatformTestKit = (path: string) => path.startsWith("testing/platform/");

/** Code that ships: neither a test, nor the test kit, nor a benchmark. */
export const isProductionFile = (path: string) =>
  !isTestFile(path) && !isTestKit(path) && !path.startsWith("bench/");

/**
 * What the runtime, the plugins (their tests included) and the runtime-safe part of the kit may import: the
 * runtime ships alone, so none of it may reach platform code, not even through a test helper.
 */
export const RUNTIME_SIDE: Layer[] = ["runtime", "plugins"];
export const runtimeSafeTarget = (path: string) =>
  RUNTIME_SIDE.includes(path.split("/")[0] as Layer) || (isTestKit(path) && !isPlatformTestKit(path));
