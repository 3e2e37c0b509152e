/**
 * The artifact layout: the one place that builds and parses the keys of everything the platform stores
 * for a clone. Every key lives under the clone's folder, then a kind's folder, then the id of what it
 * belongs to:
 *
 *   clones/<cloneId>/sources/<sourceId>                       an uploaded export, as uploaded
 *   clones/<cloneId>/inspections/<sourceId>/summary.json      what inspecting that export found (reused by builds)
 *   clones/<cloneId>/datasets/<requestId>/<file>              a built dataset folder (see DATASET_FILES)
 *   clones/<cloneId>/training/<runId>/<file>                  a training run's outputs (see TRAINING_OUTPUT)
 *   clones/<cloneId>/training/<runId>/checkpoints/step-<n>/…  its latest checkpoint while it runs
 *   clones/<cloneId>/bundles/<version>/bundle.tar.gz          a published bundle
 *
 * Pure: no store is touched here. A key whose kind folder is none of the above parses as `unknown` (a
 * newer platform's, or one written by hand): readers keep their hands off it rather than guess.
 */

/** Everything of every clone. */
export const ALL_CLONES_PREFIX = "clones/";

/** The kinds of artifact a clone has, by their folder under the clone's. */
export const ARTIFACT_KIND_FOLDERS = {
  source: "sources",
  inspection: "inspections",
  dataset: "datasets",
  training: "training",
  bundle: "bundles",
} as const;
export type ArtifactKind = keyof typeof ARTIFACT_KIND_FOLDERS;

/** The files of a dataset folder; their format is declared in datasetFormat.schema.json beside this file. */
export const DATASET_FILES = {
  train: "train.jsonl",
  val: "val.jsonl",
  stats: "stats.json",
  /** Optional: the draft/edit pairs of the owner's corrections, for a preference objective. */
  preferences: "preferences.jsonl",
} as const;
export type DatasetFile = keyof typeof DATASET_FILES;

/** A training run's outputs, relative to its folder (the trainer's `--out` layout). */
export const TRAINING_OUTPUT = {
  /** Written last: its presence marks a complete output. */
  adapter: "adapter.gguf",
  metrics: "metrics.json",
  peft: "peft/",
  checkpoints: "checkpoints/",
} as const;

export const BUNDLE_FILE = "bundle.tar.gz";

/** Everything of one clone: what deleting the clone removes. */
export const clonePrefix = (cloneId: string): string => `${ALL_CLONES_PREFIX}${cloneId}/`;

/** Everything of one kind of a clone, e.g. all its uploaded exports (what a purge removes). */
export const kindPrefix = (cloneId: string, kind: ArtifactKind): string =>
  `${clonePrefix(cloneId)}${ARTIFACT_KIND_FOLDERS[kind]}/`;

export const sourceKey = (cloneId: string, sourceId: string): string =>
  `${kindPrefix(cloneId, "source")}${sourceId}`;

/** The pipeline's summary of an uploaded export, written when it is inspected and read by dataset builds. */
export const INSPECTION_FILE = "summary.json";

export const inspectionKey = (cloneId: string, sourceId: string): string =>
  `${kindPrefix(cloneId, "inspection")}${sourceId}/${INSPECTION_FILE}`;

/** The folder one dataset build writes; recorded as the dataset's `artifactKey`. */
export const datasetPrefix = (cloneId: string, requestId: string): string =>
  `${kindPrefix(cloneId, "dataset")}${requestId}/`;

/** A file of a dataset folder, from the folder's key (a dataset's `artifactKey`). */
export const datasetFileKey = (datasetFolder: string, fileName: string): string =>
  `${datasetFolder}${fileName}`;

/** The folder a training run's outputs go to. */
export const trainingPrefix = (cloneId: string, runId: string): string =>
  `${kindPrefix(cloneId, "training")}${runId}/`;

/** The keys of a training run's outputs, from its folder's key. */
export function trainingOutputKeys(outputPrefix: string) {
  const base = outputPrefix;
  return {
    adapter: `${base}${TRAINING_OUTPUT.adapter}`,
    metrics: `${base}${TRAINING_OUTPUT.metrics}`,
    peft: `${base}${TRAINING_OUTPUT.peft}`,
    checkpoints: `${base}${TRAINING_OUTPUT.checkpoints}`,
    /** The folder of the checkpoint taken at `step`. */
    checkpoint: (step: number): string => `${base}${checkpointFolder(step)}`,
  };
}

/** The PEFT folder beside a run's adapter.gguf (what a continued run starts from); null: not an adapter key. */
export function peftPrefixOfAdapter(adapterKey: string): string | null {
  if (!adapterKey.endsWith(`/${TRAINING_OUTPUT.adapter}`)) return null;
  return trainingOutputKeys(adapterKey.slice(0, -TRAINING_OUTPUT.adapter.length)).peft;
}

/** A checkpoint's folder relative to a run's output folder (the same locally and in the store). */
export const checkpointFolder = (step: number): string => `${TRAINING_OUTPUT.checkpoints}step-${step}/`;

export const bundleKey = (cloneId: string, version: number): string =>
  `${kindPrefix(cloneId, "bundle")}${version}/${BUNDLE_FILE}`;

/** What a key names, as far as the layout tells. */
export type ArtifactRef =
  | { kind: "source"; cloneId: string; sourceId: string }
  | { kind: "inspection"; cloneId: string; sourceId: string; file: string }
  | { kind: "dataset"; cloneId: string; requestId: string; file: string }
  | {
      kind: "training";
      cloneId: string;
      runId: string;
      file: string;
      /** Part of a checkpoint (kept while the run may resume), not a final output. */
      checkpoint: boolean;
    }
  | { kind: "bundle"; cloneId: string; version: string; file: string }
  /** Under a clone, but in a folder this layout does not know: leave it alone. */
  | { kind: "unknown"; cloneId: string; path: string };

const kindOfFolder = new Map<string, ArtifactKind>(
  Object.entries(ARTIFACT_KIND_FOLDERS).map(([kind, dir]) => [dir, kind as ArtifactKind]),
);

/**
 * Parses a key back into what it names; null for a key that is not under a clone's folder
 * (`clones/<cloneId>/…`). A kind's folder without an id below it parses as `unknown`.
 */
export function parseArtifactKey(key: string): ArtifactRef | null {
  if (!key.startsWith(ALL_CLONES_PREFIX)) return null;
  const rest = key.slice(ALL_CLONES_PREFIX.length);
  const slash = rest.indexOf("/");
  if (slash <= 0) return null;
  const cloneId = rest.slice(0, slash);
  const path = rest.slice(slash + 1);
  const [dir = "", id = "", ...below] = path.split("/");
  const kind = kindOfFolder.get(dir);
  if (!kind || id === "") return { kind: "unknown", cloneId, path };
  const file = below.join("/");
  switch (kind) {
    case "source":
      return { kind, cloneId, sourceId: id };
    case "inspection":
      return { kind, cloneId, sourceId: id, file };
    case "dataset":
      return { kind, cloneId, requestId: id, file };
    case "training": {
      return { kind, cloneId, runId: id, file, checkpoint: file.startsWith(TRAINING_OUTPUT.checkpoints) };
    }
    case "bundle":
      return { kind, cloneId, version: id, file };
  }
}
