import { createWriteStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import {
  ADAPTER_FILE_NAME,
  CLONE_MANIFEST_FILE,
  type CloneBundleInput,
  cloneBundleSchema,
} from "aiclone-runtime/bundle";
import { readPromptContract } from "aiclone-runtime/engine";
import { create as createTar } from "tar";
import type { ArtifactInfo, ArtifactStore } from "../infra/blobstore/artifactStore.js";

/** The adapter's file name inside a bundle: the runtime's bundle format names it. */
export const ADAPTER_FILE = ADAPTER_FILE_NAME;

/**
 * Packs `clone.json` and the adapter into a gzipped tar in the artifact store. The manifest is validated
 * against the runtime's own schema first, so the platform never publishes a bundle the runtime refuses.
 */
export async function storeBundleArchive(
  artifacts: ArtifactStore,
  key: string,
  manifest: CloneBundleInput,
  adapterKey: string,
): Promise<ArtifactInfo> {
  const dir = await mkdtemp(join(tmpdir(), "aiclone-bundle-"));
  try {
    await pipeline(await artifacts.get(adapterKey), createWriteStream(join(dir, ADAPTER_FILE)));
    const contract = await readPromptContract(join(dir, ADAPTER_FILE));
    // With no persona prompt of the owner's, the clone is prompted with the words it was trained under.
    if (contract?.systemPrompt && !manifest.persona.systemPrompt?.trim())
      manifest = { ...manifest, persona: { ...manifest.persona, systemPrompt: contract.systemPrompt } };
    return await packBundle(artifacts, key, dir, manifest);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function packBundle(
  artifacts: ArtifactStore,
  key: string,
  dir: string,
  manifest: CloneBundleInput,
): Promise<ArtifactInfo> {
  const checked = cloneBundleSchema.safeParse(manifest);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new Error(`bundle manifest: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  await writeFile(join(dir, CLONE_MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, "utf8");
  // Fixed owner and mode and no timestamps from this machine: the archive says nothing about the platform's users.
  const archive = createTar({ gzip: true, cwd: dir, portable: true, noMtime: true }, [
    CLONE_MANIFEST_FILE,
    ADAPTER_FILE,
  ]);
  return await artifacts.put(key, archive, { contentType: "application/gzip" });
}
