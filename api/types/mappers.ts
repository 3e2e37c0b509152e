import {
  blindTestScore,
  type TrainingRunStatus as RunStatus,
  trainingRunStatusOf,
} from "../../domain/index.js";
import type { RecordedEvent } from "../../infra/eventstore/eventStore.js";
import {
  type ApiKeyView,
  type BlindTestTallyView,
  type CloneView,
  currentPublishedVersionOf,
  type DatasetRequestView,
  type TrainingRunView,
} from "../../projections/views.js";
import type { BlindTestResult } from "./blindTestTypes.js";
import {
  type ApiKey,
  type Clone,
  type CloneEvent,
  CloneStatus,
  type DatasetRequest,
  DatasetRequestStatus,
  type TrainingRun,
  TrainingRunStatus,
} from "./index.js";

const date = (iso: string): Date => new Date(iso);
const maybeDate = (iso: string | null): Date | null => (iso ? new Date(iso) : null);

export function toClone(view: CloneView): Clone {
  const datasets = view.datasets.map((d) => ({ ...d, builtAt: date(d.builtAt) }));
  const current = currentPublishedVersionOf(view);
  return {
    id: view._id,
    name: view.name,
    status: CloneStatus[view.status],
    revision: view._rev,
    createdAt: date(view.createdAt),
    updatedAt: date(view.updatedAt),
    persona: view.persona ? { ...view.persona, updatedAt: date(view.persona.updatedAt) } : null,
    sources: view.sources.map((s) => ({
      ...s,
      uploadedAt: date(s.uploadedAt),
      inspection: s.inspection
        ? {
            ...s.inspection,
            firstMessageAt: maybeDate(s.inspection.firstMessageAt),
            lastMessageAt: maybeDate(s.inspection.lastMessageAt),
            ownerCandidate: s.inspection.ownerCandidate
              ? { ...s.inspection.ownerCandidate, messages: 0 }
              : null,
            skippedReasons: s.inspection.skippedReasons ?? [],
            error: s.inspection.error ?? null,
          }
        : null,
    })),
    datasets,
    dataset: datasets.at(-1) ?? null,
    datasetError: view.datasetError
      ? { reason: view.datasetError.reason, at: date(view.datasetError.at) }
      : null,
    datasetRequest: view.datasetRequest ? toDatasetRequest(view.datasetRequest) : null,
    trainingRuns: view.trainingRuns.map((r) => toTrainingRun(view._id, r, view.blindTests)),
    publishedVersions: view.published.map((p) => ({
      ...p,
      publishedAt: date(p.publishedAt),
      downloadPath: bundlePath(view._id, p.version),
      downloadUrl: "",
      current: p.version === current,
    })),
    currentPublishedVersion: current,
    installTokens: (view.installTokens ?? []).map((t) => ({
      ...t,
      createdAt: date(t.createdAt),
      expiresAt: date(t.expiresAt),
      revokedAt: maybeDate(t.revokedAt),
      active: t.revokedAt === null && Date.parse(t.expiresAt) > Date.now(),
    })),
    installCommand: null,
    corrections: {
      total: view.corrections?.total ?? 0,
      notInDataset: (view.corrections?.total ?? 0) - (view.corrections?.inNewestDataset ?? 0),
    },
  };
}

/** The download route of a published bundle (api/http/installRoutes.ts). */
export const bundlePath = (cloneId: string, version: number): string =>
  `/clones/${cloneId}/bundles/${version}`;

/**
 * What a person pastes into a terminal to install (or upgrade to) the newest version of a clone. An https
 * platform's installer is fetched over https only (no redirect to plain http, TLS 1.2 or newer); the
 * installer then holds its own downloads to the same rule (bundle/install_clone.sh). The platform's public
 * key rides in the command itself: the installer accepts only a bundle and packages the platform signed.
 */
export const installCommand = (
  services: { publicUrl: string; platformKey: string },
  cloneId: string,
  token: string,
): string =>
  `AICLONE_PLATFORM_KEY=${services.platformKey} bash <(curl ${services.publicUrl.startsWith("https://") ? "--proto '=https' --tlsv1.2 " : ""}-fsSL ${services.publicUrl}/install_clone.sh) --clone-id ${cloneId} --token ${token}`;

/** The one vocabulary (domain/clone/trainingRunStatus.ts) as the schema's enum spells it. */
const graphqlRunStatus: Record<RunStatus, TrainingRunStatus> = {
  queued: TrainingRunStatus.QUEUED,
  running: TrainingRunStatus.RUNNING,
  completed: TrainingRunStatus.COMPLETED,
  failed: TrainingRunStatus.FAILED,
  cancelled: TrainingRunStatus.CANCELLED,
};

/** An adapter version's blind-test result from its tally (all zero and null before the first answer). */
export function toBlindTestResult(tally: BlindTestTallyView | undefined): BlindTestResult {
  const score = blindTestScore(tally ?? { realPicked: 0, clonePicked: 0, cantTell: 0 });
  return {
    answers: score.n,
    drawn: tally?.drawn ?? 0,
    pickedReal: tally?.realPicked ?? 0,
    pickedClone: tally?.clonePicked ?? 0,
    cantTell: tally?.cantTell ?? 0,
    pickedRealShare: score.pickedReal,
    low: score.low,
    high: score.high,
  };
}

export function toTrainingRun(
  cloneId: string,
  r: TrainingRunView,
  blindTests: BlindTestTallyView[] = [],
): TrainingRun {
  return {
    ...r,
    cloneId,
    attempt: r.attempt ?? 0,
    worker: r.worker ?? null,
    lossHistory: r.lossHistory ?? [],
    status: graphqlRunStatus[trainingRunStatusOf(r.status)],
    requestedAt: date(r.requestedAt),
    startedAt: maybeDate(r.startedAt),
    finishedAt: maybeDate(r.finishedAt),
    progress: r.progress ? { ...r.progress, at: date(r.progress.at) } : null,
    lineage: r.lineage ? { ...r.lineage, datasetVersion: r.datasetVersion, baseModel: r.baseModel } : null,
    blindTest:
      r.adapterVersion === null
        ? null
        : toBlindTestResult(blindTests.find((t) => t.adapterVersion === r.adapterVersion)),
  };
}

function toDatasetRequest(request: DatasetRequestView): DatasetRequest {
  const {
    owner,
    owners,
    ownerConfirmed,
    includeChats,
    excludeChats,
    includeContacts,
    excludeContacts,
    ...options
  } = request.spec;
  return {
    id: request.requestId,
    status: DatasetRequestStatus[request.status],
    sourceIds: request.sourceIds,
    owner,
    owners: owners ?? (owner === null ? [] : [owner]),
    ownerConfirmed: ownerConfirmed === true,
    includeChats,
    excludeChats,
    includeContacts,
    excludeContacts,
    options,
    requestedAt: date(request.requestedAt),
    finishedAt: maybeDate(request.finishedAt),
  };
}

export function toCloneEvent(event: RecordedEvent): CloneEvent {
  const data = (event.data ?? {}) as Record<string, unknown>;
  return {
    id: event.id,
    type: event.type,
    revision: event.revision,
    cloneId: typeof data.cloneId === "string" ? data.cloneId : event.streamId.replace(/^clone-/, ""),
    timestamp: date(event.metadata.timestamp),
    principal: event.metadata.principal,
    data,
  };
}

export const toApiKey = (key: ApiKeyView): ApiKey => ({
  id: key._id,
  name: key.name,
  prefix: key.prefix,
  createdAt: date(key.createdAt),
  revokedAt: maybeDate(key.revokedAt),
});
