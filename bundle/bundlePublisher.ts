import type { BaseModelEntry, CloneBundleInput } from "aiclone-runtime/bundle";
import { bundleKey } from "../domain/index.js";
import type { ArtifactStore } from "../infra/blobstore/artifactStore.js";
import { ADAPTER_FILE, storeBundleArchive } from "./bundleArchive.js";

/** Where the runtime downloads a base model from; resolved from the platform's registry and configuration. */
export type BaseModelLookup = (
  name: string,
) => Pick<BaseModelEntry, "name" | "url" | "sha256" | "chatTemplate">;

export interface PublishInput {
  cloneId: string;
  version: number;
  name: string;
  persona: { displayName: string; systemPrompt: string; language: string } | null;
  baseModel: string;
  /** The completed training's adapter GGUF in the artifact store. */
  adapterKey: string;
  /** That training's adapter version, written into clone.json (the runtime's corrections export names it). */
  adapterVersion?: number;
}

export interface PublishedBundle {
  artifactKey: string;
  sha256: string;
  size: number;
}

/** Packs a clone's bundle (the runtime's clone.json plus the adapter) for one published version. */
export class BundlePublisher {
  constructor(
    private readonly artifacts: ArtifactStore,
    private readonly lookupBaseModel: BaseModelLookup,
  ) {}

  async publish(input: PublishInput): Promise<PublishedBundle> {
    const base = this.lookupBaseModel(input.baseModel);
    const manifest: CloneBundleInput = {
      schemaVersion: 1,
      clone: {
        id: input.cloneId,
        version: input.version,
        ...(input.adapterVersion !== undefined ? { adapterVersion: input.adapterVersion } : {}),
      },
      baseModel: base,
      adapter: ADAPTER_FILE,
      persona: input.persona ?? { displayName: input.name, systemPrompt: "", language: "ru" },
      plugins: [{ name: "web", enabled: true, config: {} }],
    };
    const key = bundleKey(input.cloneId, input.version);
    const stored = await storeBundleArchive(this.artifacts, key, manifest, input.adapterKey);
    return { artifactKey: key, sha256: stored.sha256, size: stored.size };
  }
}
