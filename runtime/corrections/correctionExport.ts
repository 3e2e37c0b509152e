/**
 * `aiclone-runtime corrections export`: the owner's corrections of an installed clone (or any bundle and
 * data folder) as the corrections file the platform accepts, with the bundle's clone.
 */
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { CLONE_MANIFEST_FILE } from "../bundle/cloneBundleSchema.js";
import { BundleError, parseBundleManifest } from "../bundle/loadBundle.js";
import { openRuntimeDatabase } from "../memory/runtimeDatabase.js";
import { CORRECTIONS_LIMITS } from "./correctionFile.js";
import { CorrectionStore, correctionsFileOf } from "./correctionStore.js";

export interface CorrectionsExportOptions {
  bundleDir: string;
  /** Default `<bundle>/data`, as the runtime's. */
  dataDir?: string;
  /** Default `corrections-<YYYY-MM-DD>.json` in the working folder. */
  out?: string;
  now?: Date;
}

export interface CorrectionsExportResult {
  count: number;
  /** Absolute path of the file written; undefined when there was nothing to write. */
  path: string | undefined;
}

/** Where an installed clone (install_clone.sh's folder) keeps its current bundle and its data. */
export async function installedClonePaths(
  installDir: string,
): Promise<{ bundleDir: string; dataDir: string }> {
  const dir = resolve(installDir);
  let current: string;
  try {
    current = (await readFile(join(dir, "current"), "utf8")).trim();
  } catch {
    throw new BundleError(`${dir} is not an installed clone (no file 'current'); pass --bundle instead`);
  }
  if (!/^[1-9][0-9]*$/.test(current)) throw new BundleError(`${join(dir, "current")}: not a version number`);
  return { bundleDir: join(dir, "bundles", current), dataDir: join(dir, "data") };
}

export async function exportCorrections(options: CorrectionsExportOptions): Promise<CorrectionsExportResult> {
  const manifestPath = join(options.bundleDir, CLONE_MANIFEST_FILE);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(manifestPath, "utf8"));
  } catch (error) {
    throw new BundleError(`${manifestPath}: cannot be read (${(error as Error).message})`);
  }
  const manifest = parseBundleManifest(json);
  const now = options.now ?? new Date();
  const databasePath = join(options.dataDir ?? join(options.bundleDir, "data"), "runtime.sqlite");
  // No database yet: the clone never ran, so there is nothing to export (and no file is created for it).
  if (!existsSync(databasePath)) return { count: 0, path: undefined };
  const db = openRuntimeDatabase(databasePath);
  let corrections: ReturnType<CorrectionStore["list"]>;
  try {
    corrections = new CorrectionStore(db).list();
  } finally {
    db.close();
  }
  if (corrections.length === 0) return { count: 0, path: undefined };
  const text = correctionsFileOf(corrections, {
    clone: {
      id: manifest.clone.id,
      displayName: manifest.persona.displayName,
      adapterVersion: manifest.clone.adapterVersion ?? null,
    },
    exportedAt: now,
  });
  const path = resolve(options.out ?? `corrections-${now.toISOString().slice(0, 10)}.json`);
  await writeFile(path, text, { mode: 0o600 });
  return { count: Math.min(corrections.length, CORRECTIONS_LIMITS.corrections), path };
}
