/** Reads and validates a bundle folder; any problem stops start-up with a message naming the field. */
import { access, readFile } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import type { z } from "zod";
import { CLONE_MANIFEST_FILE, type CloneBundleManifest, cloneBundleSchema } from "./cloneBundleSchema.js";

/** A bundle that cannot be used; the message names the file and the field. */
export class BundleError extends Error {
  override readonly name = "BundleError";
}

export interface LoadedBundle {
  /** Absolute path of the bundle folder. */
  dir: string;
  manifest: CloneBundleManifest;
  /** Absolute path of the adapter GGUF, checked to exist; undefined for a bare base model. */
  adapterPath: string | undefined;
  /** Absolute path of a local base model (`baseModel.path`), undefined when it is to be downloaded. */
  localModelPath: string | undefined;
}

/** `plugins.0.config.port: expected number` — the path as the user sees it in clone.json. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join(".") || "<root>";
  if (issue.code === "unrecognized_keys")
    return `${issue.keys.map((key) => (path === "<root>" ? key : `${path}.${key}`)).join(", ")}: unknown field`;
  return `${path}: ${issue.message}`;
}

/** Validates an already parsed `clone.json`; throws BundleError naming the first bad field. */
export function parseBundleManifest(value: unknown, where = CLONE_MANIFEST_FILE): CloneBundleManifest {
  const result = cloneBundleSchema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map(describeIssue);
    throw new BundleError(`${where}: ${issues.join("; ")}`);
  }
  return result.data;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

export async function loadBundle(dir: string): Promise<LoadedBundle> {
  const bundleDir = resolve(dir);
  const manifestPath = join(bundleDir, CLONE_MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(manifestPath, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BundleError(
      code === "ENOENT"
        ? `${manifestPath}: not found (is ${bundleDir} a bundle folder? make one with \`aiclone bundle init\`)`
        : `${manifestPath}: cannot be read (${code ?? String(error)})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BundleError(`${CLONE_MANIFEST_FILE}: not valid JSON (${(error as Error).message})`);
  }
  const manifest = parseBundleManifest(json);

  let adapterPath: string | undefined;
  if (manifest.adapter !== undefined) {
    adapterPath = join(bundleDir, manifest.adapter);
    if (!(await exists(adapterPath)))
      throw new BundleError(`${CLONE_MANIFEST_FILE}: adapter: file ${adapterPath} not found`);
  }
  let localModelPath: string | undefined;
  if (manifest.baseModel.path !== undefined) {
    localModelPath = isAbsolute(manifest.baseModel.path)
      ? manifest.baseModel.path
      : join(bundleDir, manifest.baseModel.path);
    // With a URL to fall back on, a missing local copy is downloaded instead.
    if (manifest.baseModel.url === null && !(await exists(localModelPath)))
      throw new BundleError(`${CLONE_MANIFEST_FILE}: baseModel.path: file ${localModelPath} not found`);
  }
  return { dir: bundleDir, manifest, adapterPath, localModelPath };
}
