import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { totalmem } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Authenticator } from "../../api/auth/authenticator.js";
import type { BaseModelInfo } from "../../api/context.js";
import { type InstallPackage, type InstallSigner, installRoutes } from "../../api/http/installRoutes.js";
import { type BaseModelLookup, BundlePublisher } from "../../bundle/bundlePublisher.js";
import type { ArtifactStore } from "../../infra/blobstore/artifactStore.js";
import type { ReadModels } from "../../projections/readModels.js";
import { listBaseModels } from "../../trainer-gateway/baseModels.js";
import { type TrainerMachine, trainability } from "../../trainer-gateway/trainability.js";
import type { PlatformConfig } from "../config/platformConfig.js";

// dist/cli/platform/ → the repository root.
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** Registry models whose GGUF is on this machine: the platform serves them at /models/<name>.gguf. */
export function localBaseModelFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const model of listBaseModels())
    if (model.gguf.localPath && existsSync(model.gguf.localPath)) files.set(model.name, model.gguf.localPath);
  return files;
}

/**
 * The registry's base models with the configuration's url/sha256 over them, as a bundle must name them. A
 * model without a download URL whose file is on this machine is served by the platform itself.
 */
export function baseModelLookup(config: PlatformConfig, publicUrl: () => string): BaseModelLookup {
  const local = localBaseModelFiles();
  return (name) => {
    const entry = listBaseModels().find((m) => m.name === name);
    if (!entry) throw new Error(`base model ${name} is not in the registry`);
    const override = config.baseModels[name] ?? {};
    const served = local.has(name) ? `${publicUrl()}/models/${encodeURIComponent(name)}.gguf` : null;
    const url = override.url ?? entry.gguf.url ?? served;
    const sha256 = override.sha256 ?? entry.gguf.sha256;
    if (!url)
      throw new Error(
        `base model ${name} has no download URL for the runtime; set baseModels.${name}.url in the configuration`,
      );
    if (!sha256)
      throw new Error(
        `base model ${name} has no sha256 recorded, so the runtime could not verify its download; set baseModels.${name}.sha256`,
      );
    return { name, url, sha256, chatTemplate: "auto" };
  };
}

/** The registry as the API lists it. */
export function baseModelCatalog(defaultName: string, machine: TrainerMachine): BaseModelInfo[] {
  return listBaseModels().map((m) => {
    const fit = trainability(m, machine);
    return {
      name: m.name,
      description: m.description,
      availableLocally: m.gguf.localPath !== undefined && existsSync(m.gguf.localPath),
      testOnly: m.testOnly === true,
      isDefault: m.name === defaultName,
      languages: [...m.languages],
      checksumVerified: m.gguf.verified,
      parameters: m.parameters ?? null,
      trainableHere: fit.trainableHere,
      untrainableReason: fit.reason,
      requiredMemoryBytes: fit.requiredMemoryBytes,
    };
  });
}

let cudaMemory: number | null | undefined;

/**
 * The machine the platform's local trainer runs on (this one: the `training` role's trainer runs beside the
 * platform), or remote GPU workers. The GPU is asked of `nvidia-smi` once per process.
 */
export function trainerMachine(config: PlatformConfig): TrainerMachine {
  if (cudaMemory === undefined) {
    const query = spawnSync("nvidia-smi", ["--query-gpu=memory.total", "--format=csv,noheader,nounits"], {
      encoding: "utf8",
      timeout: 5_000,
    });
    const mib = Number(query.status === 0 ? query.stdout.trim().split("\n")[0] : Number.NaN);
    cudaMemory = Number.isFinite(mib) && mib > 0 ? mib * 1024 ** 2 : null;
  }
  return { backend: config.training.backend, cudaMemoryBytes: cudaMemory, memoryBytes: totalmem() };
}

export const createBundlePublisher = (
  config: PlatformConfig,
  artifacts: ArtifactStore,
  publicUrl: () => string,
) => new BundlePublisher(artifacts, baseModelLookup(config, publicUrl));

/** The packages built by `npm run build` (scripts/packPackages.mjs), or null when they are missing. */
export function builtPackages(): InstallPackage[] | null {
  const dir = join(repoRoot, "dist", "packages");
  const info = join(dir, "packages.json");
  if (!existsSync(info)) return null;
  const packed = JSON.parse(readFileSync(info, "utf8")) as (Omit<InstallPackage, "path"> & {
    file: string;
  })[];
  const packages = packed.map(({ file, ...pkg }) => ({ ...pkg, path: join(dir, basename(file)) }));
  return packages.every((pkg) => existsSync(pkg.path)) ? packages : null;
}

export function installRoutesFor(
  models: ReadModels,
  artifacts: ArtifactStore,
  authenticator: Authenticator,
  publicUrl: () => string,
  signer: InstallSigner,
): ReturnType<typeof installRoutes> {
  return installRoutes({
    models,
    artifacts,
    authenticator,
    installScript: readFileSync(join(repoRoot, "bundle", "install_clone.sh"), "utf8"),
    publicUrl,
    packages: builtPackages(),
    signer,
    baseModelFiles: localBaseModelFiles(),
  });
}
