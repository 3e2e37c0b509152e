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
  cli: LAYERS.filter((layer) => layer !== "bench"),
  runtime: [],
  plugins: ["runtime"],
  bench: [...LAYERS],
};

/** Layers that must never reach a concrete adapter (they get ports injected from cli/). */
export const PORTS_ONLY: Layer[] = ["projections", "pipeline", "trainer-gateway", "api", "bundle"];

export const isTestFile = (path: string) => /\.test\.ts$/.test(path) || /(^|\/)test\//.test(path);
