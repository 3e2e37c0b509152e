import { conflict, invalid } from "../../errors.js";
import { boundedText } from "../../text.js";
import { cloneLimits } from "../limits.js";
import { type CloneState, datasetBuildInFlight } from "../state.js";
import { type CommandDeciders, nonNegativeInt, reasonText, requireSystem } from "./guards.js";

const isCurrentRequest = (state: CloneState, requestId: string): boolean =>
  state.datasetRequest?.requestId === requestId && state.datasetRequest.status === "requested";

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
    const owner = spec.owner === null ? null : boundedText("owner", spec.owner, { min: 1, max: 200 });
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
            ...spec,
            owner,
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
