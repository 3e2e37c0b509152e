import type { Decider } from "../decider.js";
import { conflict, DomainError, invalid, notFound } from "../errors.js";
import { boundedText } from "../text.js";
import type { CloneCommand } from "./commands.js";
import type { CloneEvent } from "./events.js";
import { cloneLimits, LANGUAGE_TAG } from "./limits.js";
import {
  type CloneState,
  datasetBuildInFlight,
  evolveClone,
  initialCloneState,
  trainingInFlight,
} from "./state.js";

const SHA256 = /^[0-9a-f]{64}$/;

function requireLiveClone(command: CloneCommand, state: CloneState): void {
  if (!state.exists) throw notFound(`clone ${command.cloneId} does not exist`);
  // Another owner's clone is reported as missing, so ids cannot be probed.
  if (command.actor.kind === "owner" && command.actor.ownerId !== state.ownerId)
    throw notFound(`clone ${command.cloneId} does not exist`);
  if (state.deleted) throw notFound(`clone ${command.cloneId} was deleted`);
}

function requireSystem(command: CloneCommand): void {
  if (command.actor.kind !== "system")
    throw new DomainError("FORBIDDEN", `${command.type} is issued by platform workers only`);
}

function requireRun(state: CloneState, runId: string, allowed: ("requested" | "running")[]): void {
  const training = state.training;
  if (!training || training.runId !== runId) throw conflict(`training run ${runId} is not the current run`);
  if (!(allowed as string[]).includes(training.status))
    throw conflict(`training run ${runId} is ${training.status}, expected ${allowed.join(" or ")}`);
}

const isCurrentRequest = (state: CloneState, requestId: string): boolean =>
  state.datasetRequest?.requestId === requestId && state.datasetRequest.status === "requested";

function nonNegativeInt(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw invalid(field, "must be a non-negative integer");
  return value;
}

export function decideClone(command: CloneCommand, state: CloneState): CloneEvent[] {
  const cloneId = command.cloneId;
  if (command.type === "CreateClone") {
    if (state.exists) throw conflict(`clone ${cloneId} already exists`);
    if (command.actor.kind !== "owner")
      throw new DomainError("FORBIDDEN", "only an owner can create a clone");
    const name = boundedText("name", command.name, { min: 1, max: cloneLimits.nameMax });
    return [{ type: "CloneCreated", data: { cloneId, ownerId: command.actor.ownerId, name } }];
  }
  requireLiveClone(command, state);

  switch (command.type) {
    case "ConfigurePersona": {
      const displayName = boundedText("displayName", command.displayName, {
        min: 1,
        max: cloneLimits.displayNameMax,
      });
      const systemPrompt = boundedText("systemPrompt", command.systemPrompt, {
        min: 1,
        max: cloneLimits.systemPromptMax,
        multiline: true,
      });
      const language = command.language.trim();
      if (!LANGUAGE_TAG.test(language))
        throw invalid("language", `must be a language tag such as "ru" or "en"`);
      return [{ type: "PersonaConfigured", data: { cloneId, displayName, systemPrompt, language } }];
    }
    case "RecordSourceUpload": {
      const fileName = boundedText("fileName", command.fileName, { min: 1, max: cloneLimits.fileNameMax });
      if (/[\\/]/.test(fileName)) throw invalid("fileName", "must not contain path separators");
      if (!SHA256.test(command.sha256)) throw invalid("sha256", "must be 64 lowercase hex digits");
      if (!Number.isInteger(command.size) || command.size <= 0)
        throw invalid("size", "must be a positive integer");
      // The same archive uploaded twice is one source: repeat uploads are a no-op, not an error.
      if (state.sources.some((s) => s.sha256 === command.sha256 && !s.purged)) return [];
      if (state.sources.length >= cloneLimits.sourcesMax)
        throw conflict(`a clone holds at most ${cloneLimits.sourcesMax} sources`);
      return [
        {
          type: "SourceUploaded",
          data: {
            cloneId,
            sourceId: command.sourceId,
            fileName,
            size: command.size,
            sha256: command.sha256,
            artifactKey: command.artifactKey,
            ...(command.contentType ? { contentType: command.contentType } : {}),
          },
        },
      ];
    }
    case "RecordSourceInspection": {
      requireSystem(command);
      const source = state.sources.find((s) => s.sourceId === command.sourceId);
      if (!source) throw invalid("sourceId", `unknown source ${command.sourceId}`);
      // A redelivered SourceUploaded inspects again: the first result stands.
      if (source.inspected) return [];
      const inspection = {
        ...command.inspection,
        chats: command.inspection.chats.slice(0, cloneLimits.inspectionListMax),
        participants: command.inspection.participants.slice(0, cloneLimits.inspectionListMax),
      };
      return [{ type: "SourceInspected", data: { cloneId, sourceId: command.sourceId, inspection } }];
    }
    case "RequestDataset": {
      const sourceIds = state.sources.filter((s) => !s.purged).map((s) => s.sourceId);
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
      return [
        {
          type: "DatasetRequested",
          data: {
            cloneId,
            requestId: command.requestId,
            sourceIds,
            spec: {
              ...spec,
              owner,
              ...Object.fromEntries(
                lists.map((list) => [
                  list,
                  spec[list].map((v) => boundedText(list, v, { min: 1, max: 200 })),
                ]),
              ),
            },
          },
        },
      ];
    }
    case "RecordDatasetBuilt": {
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
            cloneId,
            ...(command.requestId !== undefined ? { requestId: command.requestId } : {}),
            version: state.datasetVersion + 1,
            sourceIds: command.sourceIds,
            artifactKey: command.artifactKey,
            stats,
          },
        },
      ];
    }
    case "RecordDatasetFailed": {
      requireSystem(command);
      if (command.requestId !== undefined && !isCurrentRequest(state, command.requestId)) return [];
      const reason = boundedText("reason", command.reason, {
        min: 1,
        max: cloneLimits.reasonMax,
        multiline: true,
      });
      return [
        {
          type: "DatasetFailed",
          data: {
            cloneId,
            ...(command.requestId !== undefined ? { requestId: command.requestId } : {}),
            reason,
          },
        },
      ];
    }
    case "RequestTraining": {
      if (state.datasetVersion === 0)
        throw conflict("training needs a built dataset; none has been built yet");
      if (trainingInFlight(state))
        throw conflict(`training run ${state.training?.runId} is still in flight; wait for it to finish`);
      const baseModel = boundedText("baseModel", command.baseModel, { min: 1, max: 200 });
      if (Object.keys(command.hyperparameters).length > cloneLimits.hyperparametersMax)
        throw invalid("hyperparameters", `at most ${cloneLimits.hyperparametersMax} entries`);
      return [
        {
          type: "TrainingRequested",
          data: {
            cloneId,
            runId: command.runId,
            datasetVersion: state.datasetVersion,
            baseModel,
            hyperparameters: command.hyperparameters,
          },
        },
      ];
    }
    case "StartTraining": {
      requireSystem(command);
      const attempt = command.attempt ?? 1;
      if (!Number.isInteger(attempt) || attempt < 1) throw invalid("attempt", "must be a positive integer");
      // A job that lost its worker resumes on another one: a later attempt may start a running run again.
      if (state.training?.runId === command.runId && state.training.status === "running") {
        if (attempt <= state.training.attempt) return [];
      } else requireRun(state, command.runId, ["requested"]);
      return [
        {
          type: "TrainingStarted",
          data: {
            cloneId,
            runId: command.runId,
            backend: command.backend,
            ...(command.worker ? { worker: command.worker } : {}),
            attempt,
          },
        },
      ];
    }
    case "ReportTrainingProgress": {
      requireSystem(command);
      requireRun(state, command.runId, ["running"]);
      nonNegativeInt("step", command.step);
      nonNegativeInt("totalSteps", command.totalSteps);
      // Redelivered or reordered progress reports must not move the bar backwards.
      if (command.step <= (state.training?.lastStep ?? 0) && command.step !== 0) return [];
      const { type: _t, actor: _a, ...data } = command;
      return [{ type: "TrainingProgressed", data }];
    }
    case "CompleteTraining": {
      requireSystem(command);
      requireRun(state, command.runId, ["running"]);
      return [
        {
          type: "TrainingCompleted",
          data: {
            cloneId,
            runId: command.runId,
            adapterVersion: state.adapterVersion + 1,
            artifactKey: command.artifactKey,
            metrics: command.metrics,
          },
        },
      ];
    }
    case "FailTraining": {
      requireSystem(command);
      requireRun(state, command.runId, ["requested", "running"]);
      const reason = boundedText("reason", command.reason, {
        min: 1,
        max: cloneLimits.reasonMax,
        multiline: true,
      });
      return [{ type: "TrainingFailed", data: { cloneId, runId: command.runId, reason } }];
    }
    case "CancelTraining": {
      const training = state.training;
      if (training?.runId === command.runId && training.status === "cancelled") return [];
      requireRun(state, command.runId, ["requested", "running"]);
      const reason =
        command.reason === undefined
          ? undefined
          : boundedText("reason", command.reason, { min: 1, max: cloneLimits.reasonMax, multiline: true });
      return [
        {
          type: "TrainingCancelled",
          data: { cloneId, runId: command.runId, ...(reason ? { reason } : {}) },
        },
      ];
    }
    case "PublishClone": {
      if (state.adapterVersion === 0)
        throw conflict("publishing needs a completed training; none has completed yet");
      if (command.version !== state.publishedVersion + 1)
        throw conflict(
          `version ${command.version} was packed, but the next version is ${state.publishedVersion + 1} (published meanwhile)`,
        );
      if (!SHA256.test(command.sha256)) throw invalid("sha256", "must be 64 lowercase hex characters");
      if (!command.artifactKey) throw invalid("artifactKey", "must not be empty");
      return [
        {
          type: "ClonePublished",
          data: {
            cloneId,
            version: command.version,
            adapterVersion: state.adapterVersion,
            artifactKey: command.artifactKey,
            sha256: command.sha256,
            size: nonNegativeInt("size", command.size),
          },
        },
      ];
    }
    case "CreateInstallToken": {
      if (command.actor.kind !== "owner")
        throw new DomainError("FORBIDDEN", "only the owner creates install tokens");
      const name = boundedText("name", command.name, { min: 1, max: cloneLimits.installTokenNameMax });
      if (!SHA256.test(command.hash)) throw invalid("hash", "must be 64 lowercase hex characters");
      const created = Date.parse(command.createdAt);
      const expires = Date.parse(command.expiresAt);
      if (!Number.isFinite(created) || !Number.isFinite(expires))
        throw invalid("expiresAt", "must be an ISO date");
      if (expires <= created) throw invalid("expiresIn", "must be positive");
      if (expires - created > cloneLimits.installTokenMaxSeconds * 1000)
        throw invalid("expiresIn", `must be at most ${cloneLimits.installTokenMaxSeconds} seconds (90 days)`);
      if (state.installTokens.some((t) => t.tokenId === command.tokenId))
        throw conflict(`install token ${command.tokenId} already exists`);
      const active = state.installTokens.filter(
        (t) => !t.revoked && Date.parse(t.expiresAt) > created,
      ).length;
      if (active >= cloneLimits.activeInstallTokensMax)
        throw conflict(
          `at most ${cloneLimits.activeInstallTokensMax} active install tokens per clone; revoke one first`,
        );
      return [
        {
          type: "InstallTokenCreated",
          data: {
            cloneId,
            tokenId: command.tokenId,
            name,
            hash: command.hash,
            prefix: command.prefix,
            expiresAt: new Date(expires).toISOString(),
          },
        },
      ];
    }
    case "RevokeInstallToken": {
      const token = state.installTokens.find((t) => t.tokenId === command.tokenId);
      if (!token) throw notFound(`install token ${command.tokenId} does not exist`);
      if (token.revoked) return [];
      return [{ type: "InstallTokenRevoked", data: { cloneId, tokenId: command.tokenId } }];
    }
    case "PurgeRawData": {
      const sourceIds = state.sources.filter((s) => !s.purged).map((s) => s.sourceId);
      return sourceIds.length === 0 ? [] : [{ type: "RawDataPurged", data: { cloneId, sourceIds } }];
    }
    case "DeleteClone":
      return [{ type: "CloneDeleted", data: { cloneId } }];
  }
}

export const cloneDecider: Decider<CloneCommand, CloneEvent, CloneState> = {
  initialState: initialCloneState,
  evolve: evolveClone,
  decide: decideClone,
};
