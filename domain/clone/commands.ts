import type { Actor } from "../decider.js";
import type {
  BlindCandidate,
  BlindChoice,
  CorrectionTurn,
  DatasetRequestSpec,
  DatasetStats,
  SourceInspection,
} from "./events.js";

/**
 * Commands carry every value the decider needs (ids, hashes) so that deciding stays pure.
 * `actor` is checked against the clone's owner; platform workers act as `system`.
 */
interface Base {
  cloneId: string;
  actor: Actor;
}

/** One correction as a command carries it: the owner's rewrite of a clone's draft, with its context. */
export interface CorrectionInput {
  /** Unique within the clone: a correction recorded again (a re-imported file) adds nothing. */
  correctionId: string;
  /** When the owner corrected the draft (ISO 8601, any offset). */
  at: string;
  channel: string;
  adapterVersion: number | null;
  context: CorrectionTurn[];
  draft: string;
  ownerText: string;
}

export type CloneCommand =
  | (Base & { type: "CreateClone"; name: string })
  | (Base & { type: "ConfigurePersona"; displayName: string; systemPrompt: string; language: string })
  | (Base & { type: "RenameClone"; name: string })
  | (Base & {
      type: "RecordSourceUpload";
      sourceId: string;
      fileName: string;
      size: number;
      sha256: string;
      artifactKey: string;
      contentType?: string;
    })
  | (Base & { type: "RecordSourceInspection"; sourceId: string; inspection: SourceInspection })
  | (Base & { type: "RequestDataset"; requestId: string; spec: DatasetRequestSpec })
  | (Base & {
      type: "RecordDatasetBuilt";
      /** The request this build answers; a build for a request that is no longer current is ignored. */
      requestId?: string;
      sourceIds: string[];
      artifactKey: string;
      stats: DatasetStats;
    })
  | (Base & { type: "RecordDatasetFailed"; requestId?: string; reason: string })
  | (Base & {
      type: "RequestTraining";
      runId: string;
      baseModel: string;
      hyperparameters: Record<string, string | number | boolean>;
      /** Continue from this adapter version of the clone (same base model); absent: a fresh LoRA. */
      parentAdapterVersion?: number;
    })
  | (Base & {
      type: "StartTraining";
      runId: string;
      backend: string;
      worker?: string;
      /** 1 for the first worker; higher when the job resumes on another worker after a lost lease. */
      attempt?: number;
    })
  | (Base & {
      type: "ReportTrainingProgress";
      runId: string;
      step: number;
      totalSteps: number;
      epoch: number;
      loss?: number;
      learningRate?: number;
      tokensPerSecond?: number;
      etaSeconds?: number;
    })
  | (Base & {
      type: "CompleteTraining";
      runId: string;
      artifactKey: string;
      metrics: Record<string, unknown>;
    })
  | (Base & { type: "FailTraining"; runId: string; reason: string })
  | (Base & { type: "CancelTraining"; runId: string; reason?: string })
  | (Base & {
      type: "PublishClone";
      /** The version the bundle was packed as; refused unless it is the next one (two publishes raced). */
      version: number;
      artifactKey: string;
      sha256: string;
      size: number;
      /** The adapter version the bundle packs; absent: the newest. */
      adapterVersion?: number;
    })
  | (Base & { type: "SelectPublishedVersion"; version: number })
  | (Base & {
      type: "CreateInstallToken";
      tokenId: string;
      name: string;
      /** sha256 of the token: the secret itself is never recorded. */
      hash: string;
      prefix: string;
      createdAt: string;
      expiresAt: string;
    })
  | (Base & { type: "RevokeInstallToken"; tokenId: string })
  | (Base & {
      type: "DrawBlindTrial";
      trialId: string;
      adapterVersion: number;
      /** The val.jsonl line drawn and where the real reply goes: the service draws them at random. */
      sampleIndex: number;
      realCandidate: BlindCandidate;
    })
  | (Base & { type: "AnswerBlindTrial"; trialId: string; choice: BlindChoice })
  | (Base & { type: "RecordCorrection"; correction: CorrectionInput })
  | (Base & { type: "ImportCorrections"; corrections: CorrectionInput[] })
  | (Base & { type: "PurgeRawData" })
  | (Base & { type: "DeleteClone" });
