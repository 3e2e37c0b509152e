import type { Collection, Document, DocumentStore } from "../infra/docstore/documentStore.js";
import type { ApiKeyView, CloneView, CorrectionView, OwnerView } from "./views.js";

/** Which clone a training run belongs to, so a run can be looked up by its id alone. */
export interface TrainingRunIndexDoc extends Document {
  _id: string;
  cloneId: string;
}

/** What a bundle download checks an install token against. */
export interface InstallTokenDoc extends Document {
  _id: string;
  cloneId: string;
  hash: string;
  expiresAt: string;
  revokedAt: string | null;
}

export interface StreamPositionDoc extends Document {
  _id: string;
  _rev: number;
}

/** The clone views' collection name, after the prefix. */
export const CLONE_VIEWS = "clones";

/** The owner's corrections' collection name, after the prefix: one document per correction. */
export const CORRECTIONS = "corrections";
/** A correction document's id: its clone's id (which never holds a slash), then the correction's. */
export const correctionDocId = (cloneId: string, correctionId: string) => `${cloneId}/${correctionId}`;

/** The read-model collections, optionally under a prefix (a rebuild writes beside the live ones). */
export class ReadModels {
  readonly clones: Collection<CloneView>;
  readonly owners: Collection<OwnerView>;
  readonly apiKeys: Collection<ApiKeyView>;
  readonly trainingRuns: Collection<TrainingRunIndexDoc>;
  readonly installTokens: Collection<InstallTokenDoc>;
  /** The owner's corrections, listed newest first per clone. */
  readonly corrections: Collection<CorrectionView>;
  /** Last applied revision per stream: what "read your writes" waits on. */
  readonly streamPositions: Collection<StreamPositionDoc>;

  constructor(
    readonly store: DocumentStore,
    readonly prefix = "rm_",
  ) {
    this.clones = store.collection<CloneView>(`${prefix}${CLONE_VIEWS}`);
    this.owners = store.collection<OwnerView>(`${prefix}owners`);
    this.apiKeys = store.collection<ApiKeyView>(`${prefix}api_keys`);
    this.installTokens = store.collection<InstallTokenDoc>(`${prefix}install_tokens`);
    this.corrections = store.collection<CorrectionView>(`${prefix}${CORRECTIONS}`);
    this.trainingRuns = store.collection<TrainingRunIndexDoc>(`${prefix}training_runs`);
    this.streamPositions = store.collection<StreamPositionDoc>(`${prefix}stream_positions`);
  }

  /** Indexes for the queries the API makes. */
  async ensureIndexes(): Promise<void> {
    await this.clones.ensureIndex(["ownerId", "deleted", "_id"]);
    await this.apiKeys.ensureIndex(["ownerId"]);
    await this.corrections.ensureIndex(["cloneId", "at"]);
    await this.apiKeys.ensureIndex(["hash"], { unique: true });
  }

  async drop(): Promise<void> {
    await this.store.dropCollections(this.prefix);
  }
}
