import { conflict, invalid } from "../../errors.js";
import { boundedText } from "../../text.js";
import type { DatasetRequestSpec } from "../events.js";
import { cloneLimits } from "../limits.js";
import { type CloneState, datasetBuildInFlight } from "../state.js";
import { type CommandDeciders, nonNegativeInt, reasonText, requireSystem } from "./guards.js";

const isCurrentRequest = (state: CloneState, requestId: string): boolean =>
  state.datasetRequest?.requestId === requestId && state.datasetRequest.status === "requested";

const sameName = (a: string, b: string) =>
  a.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase() ===
  b.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();

/** The owner's identities of a request: `owner`, then `owners`, each once, bounded. */
function identitiesOf(spec: DatasetRequestSpec): string[] {
  if (spec.owners === undefined)
    return spec.owner === null ? [] : [boundedText("owner", spec.owner, { min: 1, max: 200 })];
  if (spec.owners.length > cloneLimits.ownerIdentitiesMax)
    throw invalid("owners", `at most ${cloneLimits.ownerIdentitiesMax} identities`);
  const all = [...(spec.owner === null ? [] : [spec.owner]), ...spec.owners].map((o) =>
    boundedText("owners", o, { min: 1, max: 200 }),
  );
  return [...new Set(all)];
}

const withoutConfirmation = ({ ownerConfirmed: _, ...spec }: DatasetRequestSpec) => spec;

/**
 * Consent: a clone is of the person who uploads. When the exports name the account that made them and none
 * of the chosen identities is that account (by id or name), the owner must confirm the identities are theirs.
 */
function consentOf(
  state: CloneState,
  identities: string[],
  confirmed: boolean | undefined,
): true | undefined {
  const exporters = state.sources.flatMap((s) => (!s.purged && s.exportedBy ? [s.exportedBy] : []));
  if (identities.length === 0 || exporters.length === 0) return undefined;
  const isExporter = exporters.some((e) =>
    identities.some((i) => i === e.id || (e.name !== null && sameName(i, e.name))),
  );
  if (isExporter) return undefined;
  if (confirmed !== true) {
    const names = [...new Set(exporters.map((e) => e.name ?? e.id))].join(", ");
    throw invalid(
      "ownerConfirmed",
      `the exports were made by ${names}, not by ${identities.join(", ")}: confirm that you are the person being cloned`,
    );
  }
  return true;
}

/** One dataset build at a time: requested by the owner, answered (built or failed) by the pipeline. */
export const datasetDeciders: CommandDeciders<
  "RequestDataset" | "RecordDatasetBuilt" | "RecordDatasetFailed"
> = {
  RequestDataset(command, state) {
    const sources = state.sources.filter((s) => !s.purged);
    const sourceIds = sources.map((s) => s.sourceId);
    if (sourceIds.length === 0)
      throw conflict(
        state.sources.length === 0
          ? "building a dataset needs an uploaded export; upload one first"
          : "the raw exports were purged; upload them again to build a new dataset",
      );
    if (datasetBuildInFlight(state))
      throw conflict(
        `dataset build ${state.datasetRequest?.requestId} is still running; wait for it to finish`,
      );
    const spec = command.spec;
    const identities = identitiesOf(spec);
    const owner = identities[0] ?? null;
    const ownerConfirmed = consentOf(state, identities, spec.ownerConfirmed);
    const lists = ["includeChats", "excludeChats", "includeContacts", "excludeContacts"] as const;
    for (const list of lists)
      if (spec[list].length > cloneLimits.selectionListMax)
        throw invalid(list, `at most ${cloneLimits.selectionListMax} entries`);
    if (
      spec.sessionGapMinutes !== undefined &&
      !(
        Number.isInteger(spec.sessionGapMinutes) &&
        spec.sessionGapMinutes > 0 &&
        spec.sessionGapMinutes <= 7 * 24 * 60
      )
    )
      throw invalid("sessionGapMinutes", "must be a whole number of minutes between 1 and 10080");
    if (spec.valFraction !== undefined && !(spec.valFraction >= 0 && spec.valFraction <= 0.5))
      throw invalid("valFraction", "must be between 0 and 0.5");
    if (spec.correctionWeight !== undefined && !(spec.correctionWeight > 0 && spec.correctionWeight <= 10))
      throw invalid("correctionWeight", "must be above 0 and at most 10");
    return [
      {
        type: "DatasetRequested",
        data: {
          cloneId: command.cloneId,
          requestId: command.requestId,
          sourceIds,
          spec: {
            ...withoutConfirmation(spec),
            owner,
            ...(spec.owners === undefined ? {} : { owners: identities }),
            ...(ownerConfirmed ? { ownerConfirmed } : {}),
            ...Object.fromEntries(
              lists.map((list) => [list, spec[list].map((v) => boundedText(list, v, { min: 1, max: 200 }))]),
            ),
          },
          sources: sources.map(({ sourceId, fileName, artifactKey }) => ({
            sourceId,
            fileName,
            artifactKey,
          })),
          ...(state.correctionIds.length > 0 ? { correctionIds: state.correctionIds } : {}),
        },
      },
    ];
  },
  RecordDatasetBuilt(command, state) {
    requireSystem(command);
    // A build for a request that was already answered (a redelivery) changes nothing.
    if (command.requestId !== undefined && !isCurrentRequest(state, command.requestId)) return [];
    const known = new Set(state.sources.map((s) => s.sourceId));
    if (command.sourceIds.length === 0)
      throw invalid("sourceIds", "a dataset is built from at least one source");
    const unknown = command.sourceIds.find((id) => !known.has(id));
    if (unknown) throw invalid("sourceIds", `unknown source ${unknown}`);
    const stats = command.stats;
    for (const [key, value] of Object.entries(stats))
      if (value !== undefined) nonNegativeInt(`stats.${key}`, value);
    return [
      {
        type: "DatasetBuilt",
        data: {
          cloneId: command.cloneId,
          ...(command.requestId !== undefined ? { requestId: command.requestId } : {}),
          version: state.datasetVersion + 1,
          sourceIds: command.sourceIds,
          artifactKey: command.artifactKey,
          stats,
        },
      },
    ];
  },
  RecordDatasetFailed(command, state) {
    requireSystem(command);
    if (command.requestId !== undefined && !isCurrentRequest(state, command.requestId)) return [];
    const reason = reasonText(command.reason);
    return [
      {
        type: "DatasetFailed",
        data: {
          cloneId: command.cloneId,
          ...(command.requestId !== undefined ? { requestId: command.requestId } : {}),
          reason,
        },
      },
    ];
  },
};
