import {
  ALL_CLONES_PREFIX,
  type ArtifactRef,
  isTrainingRunActive,
  parseArtifactKey,
  trainingRunStatusOf,
} from "../../domain/index.js";
import type { ArtifactStore } from "../../infra/blobstore/artifactStore.js";
import type { ReadModels } from "../../projections/readModels.js";
import type { CloneView } from "../../projections/views.js";

export interface SweepReport {
  /** Artifacts no event refers to (a crash between storing a file and recording it), removed. */
  orphans: string[];
  /** Unfinished writes (temporary files, multipart uploads) removed. */
  incomplete: number;
  /** Clones whose data key outlived them (a crash during deleteClone), destroyed. */
  shreddedKeys: string[];
}

/** The clones' data keys, as far as the sweeper needs them (cli/platform/dataProtection.ts). */
export interface CloneKeys {
  live(): Promise<{ cloneId: string; createdAt: string }[]>;
  destroy(cloneId: string): Promise<void>;
}

export interface SweepOptions {
  /** Only what is older than this is touched, so a write still in progress is never taken for an orphan. */
  minAgeMs: number;
  dryRun?: boolean;
}

/**
 * Finds and removes artifacts the clones' recorded history does not account for: files of deleted or
 * unknown clones, uploads that were never recorded, datasets, training outputs and bundles whose events
 * never made it (a crash between the write and the command), and unfinished writes of the store itself;
 * and destroys the data keys of clones that no longer exist. Files of a live clone in a folder the
 * layout (domain/artifacts/artifactKeys.ts) does not know are kept: what it cannot read it does not judge.
 */
export class ArtifactSweeper {
  constructor(
    private readonly models: ReadModels,
    private readonly artifacts: ArtifactStore,
    private readonly keys?: CloneKeys,
  ) {}

  async sweep(options: SweepOptions): Promise<SweepReport> {
    const cutoff = Date.now() - options.minAgeMs;
    const orphans: string[] = [];
    const views = new Map<string, CloneView | null>();
    for await (const info of this.artifacts.list(ALL_CLONES_PREFIX)) {
      if (Date.parse(info.createdAt) > cutoff) continue;
      const ref = parseArtifactKey(info.key);
      if (!ref) {
        orphans.push(info.key); // not in any clone's folder: nobody's
        continue;
      }
      if (!views.has(ref.cloneId)) views.set(ref.cloneId, await this.models.clones.get(ref.cloneId));
      const view = views.get(ref.cloneId) ?? null;
      if (!isReferenced(view, ref, info.key)) orphans.push(info.key);
    }
    const shreddedKeys: string[] = [];
    for (const { cloneId, createdAt } of (await this.keys?.live()) ?? []) {
      if (Date.parse(createdAt) > cutoff) continue;
      if (!views.has(cloneId)) views.set(cloneId, await this.models.clones.get(cloneId));
      const view = views.get(cloneId);
      if (!view || view.deleted) shreddedKeys.push(cloneId);
    }
    if (!options.dryRun) {
      // Keys first: once a deleted clone's key is gone its leftover files are unreadable anyway.
      for (const cloneId of shreddedKeys) await this.keys?.destroy(cloneId);
      for (const key of orphans) await this.artifacts.delete(key);
    }
    const incomplete = options.dryRun ? 0 : await this.artifacts.removeIncomplete(new Date(cutoff));
    return { orphans, incomplete, shreddedKeys };
  }
}

/** Whether the clone's read model accounts for the artifact. */
function isReferenced(view: CloneView | null, ref: ArtifactRef, key: string): boolean {
  if (!view || view.deleted) return false;
  switch (ref.kind) {
    case "source":
      return view.sources.some((s) => s.id === ref.sourceId && !s.purged);
    case "dataset":
      // A build still running owns its folder too.
      return (
        view.datasets.some((d) => key.startsWith(d.artifactKey)) ||
        (view.datasetRequest?.requestId === ref.requestId && view.datasetRequest?.status === "BUILDING")
      );
    case "training": {
      const run = view.trainingRuns.find((r) => r.id === ref.runId);
      if (!run) return false;
      // A queued or running job keeps its checkpoints; a finished one keeps only its outputs.
      const status = trainingRunStatusOf(run.status);
      if (isTrainingRunActive(status)) return true;
      return status === "completed" && !ref.checkpoint;
    }
    case "bundle":
      return view.published.some((p) => p.artifactKey === key);
    case "unknown":
      // A kind this platform does not know (a newer one's, or put there by hand): not ours to delete.
      return true;
  }
}
