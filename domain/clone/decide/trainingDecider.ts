import { conflict, invalid } from "../../errors.js";
import { boundedText } from "../../text.js";
import type { TrainingLineage } from "../events.js";
import { cloneLimits } from "../limits.js";
import { type CloneState, trainingInFlight } from "../state.js";
import {
  type CommandDeciders,
  type CommandOf,
  nonNegativeInt,
  reasonText,
  requireAdapter,
  requireRun,
  requireSystem,
} from "./guards.js";

type TrainingCommand =
  | "RequestTraining"
  | "StartTraining"
  | "ReportTrainingProgress"
  | "CompleteTraining"
  | "FailTraining"
  | "CancelTraining";

/**
 * One training run at a time: requested by the owner, then started, progressed and finished by the
 * trainer gateway (system), or cancelled by the owner while queued or running.
 */
export const trainingDeciders: CommandDeciders<TrainingCommand> = {
  RequestTraining(command, state) {
    if (state.datasetVersion === 0) throw conflict("training needs a built dataset; none has been built yet");
    if (trainingInFlight(state))
      throw conflict(`training run ${state.training?.runId} is still in flight; wait for it to finish`);
    const baseModel = boundedText("baseModel", command.baseModel, { min: 1, max: 200 });
    if (Object.keys(command.hyperparameters).length > cloneLimits.hyperparametersMax)
      throw invalid("hyperparameters", `at most ${cloneLimits.hyperparametersMax} entries`);
    const lineage = lineageOf(command, state, baseModel);
    return [
      {
        type: "TrainingRequested",
        data: {
          cloneId: command.cloneId,
          runId: command.runId,
          datasetVersion: state.datasetVersion,
          ...(state.datasetArtifactKey !== null ? { datasetArtifactKey: state.datasetArtifactKey } : {}),
          baseModel,
          hyperparameters: command.hyperparameters,
          lineage,
        },
      },
    ];
  },
  StartTraining(command, state) {
    requireSystem(command);
    const attempt = command.attempt ?? 1;
    if (!Number.isInteger(attempt) || attempt < 1) throw invalid("attempt", "must be a positive integer");
    // A job that lost its worker resumes on another one: a later attempt may start a running run again.
    if (state.training?.runId === command.runId && state.training.status === "running") {
      if (attempt <= state.training.attempt) return [];
    } else requireRun(state, command.runId, ["queued"]);
    return [
      {
        type: "TrainingStarted",
        data: {
          cloneId: command.cloneId,
          runId: command.runId,
          backend: command.backend,
          ...(command.worker ? { worker: command.worker } : {}),
          attempt,
        },
      },
    ];
  },
  ReportTrainingProgress(command, state) {
    requireSystem(command);
    requireRun(state, command.runId, ["running"]);
    nonNegativeInt("step", command.step);
    nonNegativeInt("totalSteps", command.totalSteps);
    // Redelivered or reordered progress reports must not move the bar backwards.
    if (command.step <= (state.training?.lastStep ?? 0) && command.step !== 0) return [];
    const { type: _t, actor: _a, ...data } = command;
    return [{ type: "TrainingProgressed", data }];
  },
  CompleteTraining(command, state) {
    requireSystem(command);
    requireRun(state, command.runId, ["running"]);
    return [
      {
        type: "TrainingCompleted",
        data: {
          cloneId: command.cloneId,
          runId: command.runId,
          adapterVersion: state.adapterVersion + 1,
          artifactKey: command.artifactKey,
          metrics: command.metrics,
        },
      },
    ];
  },
  FailTraining(command, state) {
    requireSystem(command);
    requireRun(state, command.runId, ["queued", "running"]);
    const reason = reasonText(command.reason);
    return [{ type: "TrainingFailed", data: { cloneId: command.cloneId, runId: command.runId, reason } }];
  },
  CancelTraining(command, state) {
    const training = state.training;
    if (training?.runId === command.runId && training.status === "cancelled") return [];
    requireRun(state, command.runId, ["queued", "running"]);
    const reason = command.reason === undefined ? undefined : reasonText(command.reason);
    return [
      {
        type: "TrainingCancelled",
        data: { cloneId: command.cloneId, runId: command.runId, ...(reason ? { reason } : {}) },
      },
    ];
  },
};

/**
 * The lineage TrainingRequested records: the dataset's sources, the corrections it includes (as built)
 * and the parent adapter, which must be one of this clone's and trained on the same base model.
 */
function lineageOf(
  command: CommandOf<"RequestTraining">,
  state: CloneState,
  baseModel: string,
): TrainingLineage {
  const wanted = command.parentAdapterVersion;
  const lineage = { sourceIds: state.datasetSourceIds, correctionsIncluded: state.datasetCorrections };
  if (wanted === undefined) return { ...lineage, parent: null };
  const parent = requireAdapter(state, "parentAdapterVersion", wanted);
  if (parent.baseModel !== baseModel)
    throw conflict(
      `adapter version ${wanted} was trained on base model '${parent.baseModel}'; a run continuing from it must train on the same base model, not '${baseModel}'`,
    );
  return { ...lineage, parent: { adapterVersion: parent.version, artifactKey: parent.artifactKey } };
}
