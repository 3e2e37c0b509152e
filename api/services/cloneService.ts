import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import {
  type Actor,
  assertDisplaySafe,
  type CloneCommand,
  type CloneEvent,
  cloneDecider,
  clonePrefix,
  cloneStreamId,
  DATASET_FILES,
  type DatasetRequestSpec,
  datasetFileKey,
  isId,
  kindPrefix,
  newId,
  parseCloneEvent,
  principalOf,
  sourceKey,
  trainingRunStatusOf,
} from "../../domain/index.js";
import { type ArtifactStore, ArtifactTooLargeError } from "../../infra/blobstore/artifactStore.js";
import type { CommandHandler } from "../../infra/eventsourcing/commandHandler.js";
import type { EventStore, RecordedEvent } from "../../infra/eventstore/eventStore.js";
import type { ReadModels } from "../../projections/readModels.js";
import type { ReadModelWaiter } from "../../projections/readModelWaiter.js";
import type { CloneView } from "../../projections/views.js";
import { generateInstallToken } from "../auth/apiKeyToken.js";
import type { AuthPrincipal } from "../auth/authenticator.js";
import { apiError } from "../errors.js";
import type { CloneKeys } from "./artifactSweeper.js";
import type { CorrectionCommand } from "./correctionsService.js";
import type { IdempotencyGuard } from "./idempotency.js";

export interface UploadedFile {
  filename: string;
  mimetype?: string;
  stream: Readable;
}

export interface ClonePage {
  nodes: CloneView[];
  hasNextPage: boolean;
  totalCount: number;
}

export interface CloneServiceDeps {
  store: EventStore;
  commands: CommandHandler;
  models: ReadModels;
  waiter: ReadModelWaiter;
  artifacts: ArtifactStore;
  idempotency: IdempotencyGuard;
  uploadMaxBytes: number;
  /** Raw exports one owner may keep stored, all clones together (unlimited when absent). */
  ownerUploadBytes?: number;
  defaultBaseModel: string;
  /**
   * Checks a training request before it is recorded (the base model is known, the hyperparameters are
   * the trainer's): the message names the bad field, or null when the request is fine.
   */
  checkTrainingRequest?: (
    baseModel: string,
    hyperparameters: Record<string, string | number | boolean>,
  ) => {
    field: string;
    message: string;
  } | null;
  /** Packs a version's bundle into the artifact store (bundle/BundlePublisher); publishing is refused without it. */
  publisher?: BundlePublisherPort;
  /** The clones' data keys: deleting a clone destroys its key, which makes its history unreadable. */
  cloneKeys: Pick<CloneKeys, "destroy">;
}

export interface BundlePublisherPort {
  publish(input: {
    cloneId: string;
    version: number;
    name: string;
    persona: { displayName: string; systemPrompt: string; language: string } | null;
    baseModel: string;
    adapterKey: string;
    /** Written into clone.json as clone.adapterVersion. */
    adapterVersion?: number;
  }): Promise<{ artifactKey: string; sha256: string; size: number }>;
}

export interface NewInstallToken {
  view: CloneView;
  tokenId: string;
  token: string;
}

const notFound = (cloneId: string) => apiError("NOT_FOUND", `clone ${cloneId} not found`);
const actorOf = (p: AuthPrincipal): Actor => ({ kind: "owner", ownerId: p.ownerId, keyId: p.keyId });

/** The clone use cases behind the GraphQL API: commands in, read models out, read-your-writes. */
export class CloneService {
  constructor(private readonly deps: CloneServiceDeps) {}

  /** The caller's clone, or null when it does not exist, was deleted or belongs to someone else. */
  async get(principal: AuthPrincipal, cloneId: string): Promise<CloneView | null> {
    if (!isId(cloneId)) return null;
    const view = await this.deps.models.clones.get(cloneId);
    return view && !view.deleted && view.ownerId === principal.ownerId ? view : null;
  }

  /** The caller's clone as the read model holds it, deleted ones included (as a tombstone). */
  async view(principal: AuthPrincipal, cloneId: string): Promise<CloneView | null> {
    if (!isId(cloneId)) return null;
    const view = await this.deps.models.clones.get(cloneId);
    return view && view.ownerId === principal.ownerId ? view : null;
  }

  async require(principal: AuthPrincipal, cloneId: string): Promise<CloneView> {
    const view = await this.get(principal, cloneId);
    if (!view) throw notFound(cloneId);
    return view;
  }

  /** Newest first; `after` is the id of the last clone of the previous page. */
  async list(principal: AuthPrincipal, first: number, after: string | null): Promise<ClonePage> {
    if (!Number.isInteger(first) || first < 1 || first > 100)
      throw apiError("BAD_USER_INPUT", "first: must be between 1 and 100", { field: "first" });
    if (after !== null && !isId(after))
      throw apiError("BAD_USER_INPUT", "after: not a valid cursor", { field: "after" });
    const scope = { ownerId: principal.ownerId, deleted: false };
    const page = await this.deps.models.clones.find(after ? { ...scope, _id: { $lt: after } } : scope, {
      sort: { field: "_id", direction: "desc" },
      limit: first + 1,
    });
    return {
      nodes: page.slice(0, first),
      hasNextPage: page.length > first,
      totalCount: await this.deps.models.clones.count(scope),
    };
  }

  async events(principal: AuthPrincipal, cloneId: string): Promise<RecordedEvent[]> {
    await this.require(principal, cloneId);
    const events: RecordedEvent[] = [];
    for await (const event of this.deps.store.readStream(cloneStreamId(cloneId))) events.push(event);
    return events;
  }

  private async execute(command: CloneCommand): Promise<CloneView> {
    return (await this.executeWithEvents(command)).view;
  }

  /**
   * Draws or answers a blind-test trial (BlindTestService chooses the sample and the order); returns the
   * events, which tell the answer's outcome and which candidate was real.
   */
  async blindTrial(
    principal: AuthPrincipal,
    command: Omit<Extract<CloneCommand, { type: "DrawBlindTrial" | "AnswerBlindTrial" }>, "actor">,
  ): Promise<{ view: CloneView; events: CloneEvent[] }> {
    await this.owned(principal, command.cloneId);
    return this.executeWithEvents({ ...command, actor: actorOf(principal) } as CloneCommand);
  }

  /** Records the owner's corrections (CorrectionsService checks the file and the input first). */
  async recordCorrections(
    principal: AuthPrincipal,
    command: CorrectionCommand,
  ): Promise<{ view: CloneView; events: CloneEvent[] }> {
    await this.owned(principal, command.cloneId);
    return this.executeWithEvents({ ...command, actor: actorOf(principal) } as CloneCommand);
  }

  private async executeWithEvents(command: CloneCommand): Promise<{ view: CloneView; events: CloneEvent[] }> {
    const streamId = cloneStreamId(command.cloneId);
    const outcome = await this.deps.commands.handle(streamId, cloneDecider, parseCloneEvent, command, {
      principal: principalOf(command.actor),
      correlationId: randomUUID(),
    });
    await this.deps.waiter.waitFor(streamId, outcome.revision);
    const view = await this.deps.models.clones.get(command.cloneId);
    if (!view)
      throw new Error(
        `read model for clone ${command.cloneId} is missing after revision ${outcome.revision}`,
      );
    return { view, events: outcome.events.map((e) => parseCloneEvent(e.type, e.data)) };
  }

  private async owned(principal: AuthPrincipal, cloneId: string): Promise<void> {
    // Checked against the read model first so that another owner's id is NOT_FOUND before any work.
    await this.require(principal, cloneId);
  }

  createClone(principal: AuthPrincipal, name: string, idempotencyKey?: string | null): Promise<CloneView> {
    return this.idempotent(principal, idempotencyKey, "createClone", { name }, () =>
      this.execute({ type: "CreateClone", cloneId: newId(), actor: actorOf(principal), name }),
    );
  }

  async configurePersona(
    principal: AuthPrincipal,
    input: { cloneId: string; displayName: string; systemPrompt: string; language: string },
    idempotencyKey?: string | null,
  ): Promise<CloneView> {
    return this.idempotent(principal, idempotencyKey, "configurePersona", input, async () => {
      await this.owned(principal, input.cloneId);
      return this.execute({ type: "ConfigurePersona", actor: actorOf(principal), ...input });
    });
  }

  async renameClone(
    principal: AuthPrincipal,
    input: { cloneId: string; name: string },
    idempotencyKey?: string | null,
  ): Promise<CloneView> {
    return this.idempotent(principal, idempotencyKey, "renameClone", input, async () => {
      await this.owned(principal, input.cloneId);
      return this.execute({ type: "RenameClone", actor: actorOf(principal), ...input });
    });
  }

  async uploadSource(
    principal: AuthPrincipal,
    cloneId: string,
    file: UploadedFile,
    idempotencyKey?: string | null,
  ): Promise<CloneView> {
    try {
      assertDisplaySafe("fileName", file.filename);
      await this.owned(principal, cloneId);
    } catch (error) {
      file.stream.destroy();
      throw error;
    }
    return this.idempotent(
      principal,
      idempotencyKey,
      "uploadSource",
      { cloneId, fileName: file.filename },
      async () => {
        const sourceId = newId();
        const artifactKey = sourceKey(cloneId, sourceId);
        const quota = this.deps.ownerUploadBytes ?? Number.POSITIVE_INFINITY;
        const used = await this.storedUploadBytes(principal.ownerId);
        if (used >= quota) {
          file.stream.destroy();
          throw apiError(
            "QUOTA_EXCEEDED",
            `storage quota: your stored exports use ${used} of ${quota} bytes; purge or delete a clone's raw data first`,
            { limit: quota, used },
          );
        }
        const maxBytes = Math.min(this.deps.uploadMaxBytes, quota - used);
        let stored: Awaited<ReturnType<ArtifactStore["put"]>>;
        try {
          stored = await this.deps.artifacts.put(artifactKey, file.stream, {
            maxBytes,
            ...(file.mimetype ? { contentType: file.mimetype } : {}),
          });
        } catch (error) {
          if (error instanceof ArtifactTooLargeError && maxBytes < this.deps.uploadMaxBytes)
            throw apiError(
              "QUOTA_EXCEEDED",
              `storage quota: this file does not fit in the ${quota - used} bytes left of your ${quota}-byte quota`,
              { limit: quota, used },
            );
          throw error;
        }
        try {
          const view = await this.execute({
            type: "RecordSourceUpload",
            cloneId,
            actor: actorOf(principal),
            sourceId,
            fileName: file.filename,
            size: stored.size,
            sha256: stored.sha256,
            artifactKey,
            ...(file.mimetype ? { contentType: file.mimetype } : {}),
          });
          // The same archive uploaded again is one source: drop the second copy.
          if (!view.sources.some((s) => s.id === sourceId)) await this.deps.artifacts.delete(artifactKey);
          return view;
        } catch (error) {
          await this.deps.artifacts.delete(artifactKey);
          throw error;
        }
      },
    );
  }

  async requestTraining(
    principal: AuthPrincipal,
    input: {
      cloneId: string;
      baseModel?: string | null;
      hyperparameters?: Record<string, unknown> | null;
      continueFrom?: number | null;
    },
    idempotencyKey?: string | null,
  ): Promise<CloneView> {
    const hyperparameters: Record<string, string | number | boolean> = {};
    for (const [key, value] of Object.entries(input.hyperparameters ?? {})) {
      if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean")
        throw apiError("BAD_USER_INPUT", `hyperparameters.${key}: must be a string, number or boolean`, {
          field: `hyperparameters.${key}`,
        });
      // defineProperty: a `__proto__` key stays an own (and then refused) name instead of a prototype.
      Object.defineProperty(hyperparameters, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    const continueFrom = input.continueFrom ?? null;
    // A continued run trains on its parent's base model unless told otherwise (the domain refuses another).
    const inheritsBase = !input.baseModel && continueFrom !== null;
    if (!inheritsBase) this.checkTraining(input.baseModel ?? this.deps.defaultBaseModel, hyperparameters);
    return this.idempotent(principal, idempotencyKey, "requestTraining", input, async () => {
      const view = await this.require(principal, input.cloneId);
      const parent = view.trainingRuns.find((r) => inheritsBase && r.adapterVersion === continueFrom);
      const baseModel = input.baseModel ?? parent?.baseModel ?? this.deps.defaultBaseModel;
      if (inheritsBase) this.checkTraining(baseModel, hyperparameters);
      return this.execute({
        type: "RequestTraining",
        cloneId: input.cloneId,
        actor: actorOf(principal),
        runId: newId(),
        baseModel,
        hyperparameters,
        ...(continueFrom !== null ? { parentAdapterVersion: continueFrom } : {}),
      });
    });
  }

  private checkTraining(baseModel: string, hyperparameters: Record<string, string | number | boolean>): void {
    const problem = this.deps.checkTrainingRequest?.(baseModel, hyperparameters);
    if (problem)
      throw apiError("BAD_USER_INPUT", `${problem.field}: ${problem.message}`, { field: problem.field });
  }

  /**
   * stats.json of a built dataset (drop reasons, redactions, the owner's style profile, per-chat counts);
   * null when the files are gone. Only reached through a clone the caller owns.
   */
  async datasetReport(datasetKey: string): Promise<Record<string, unknown> | null> {
    const text = await this.readArtifactText(datasetFileKey(datasetKey, DATASET_FILES.stats), 8 * 1024 ** 2);
    return text === null ? null : (JSON.parse(text) as Record<string, unknown>);
  }

  /** The first training samples of a built dataset, as the trainer reads them. */
  async datasetPreview(datasetKey: string, limit: number): Promise<Record<string, unknown>[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > 20)
      throw apiError("BAD_USER_INPUT", "limit: must be between 1 and 20", { field: "limit" });
    if (!(await this.deps.artifacts.stat(datasetFileKey(datasetKey, DATASET_FILES.train)))) return [];
    const samples: Record<string, unknown>[] = [];
    const stream = await this.deps.artifacts.get(datasetFileKey(datasetKey, DATASET_FILES.train));
    const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
    for await (const line of lines) {
      if (line.trim()) samples.push(JSON.parse(line) as Record<string, unknown>);
      if (samples.length >= limit) break;
    }
    stream.destroy();
    return samples;
  }

  /** A dataset file's text (val.jsonl for the blind test), null when gone; bounded. */
  async datasetFileText(key: string): Promise<string | null> {
    return this.readArtifactText(key, 64 * 1024 ** 2);
  }

  private async readArtifactText(key: string, maxBytes: number): Promise<string | null> {
    const info = await this.deps.artifacts.stat(key);
    if (!info) return null;
    if (info.size > maxBytes) throw new Error(`${key} is larger than ${maxBytes} bytes`);
    const chunks: Buffer[] = [];
    for await (const chunk of await this.deps.artifacts.get(key)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }

  /** Bytes of raw exports the owner has stored (not purged, clones not deleted). */
  private async storedUploadBytes(ownerId: string): Promise<number> {
    const clones = await this.deps.models.clones.find({ ownerId, deleted: false });
    return clones.reduce(
      (sum, c) => sum + c.sources.filter((s) => !s.purged).reduce((n, s) => n + s.size, 0),
      0,
    );
  }

  /** The clone a training run of the caller's belongs to, or null (unknown run, someone else's clone). */
  async trainingRunClone(principal: AuthPrincipal, runId: string): Promise<CloneView | null> {
    if (!isId(runId)) return null;
    const entry = await this.deps.models.trainingRuns.get(runId);
    return entry ? this.get(principal, entry.cloneId) : null;
  }

  async cancelTraining(
    principal: AuthPrincipal,
    input: { runId: string; reason?: string | null },
    idempotencyKey?: string | null,
  ): Promise<CloneView> {
    return this.idempotent(principal, idempotencyKey, "cancelTraining", input, async () => {
      const view = await this.trainingRunClone(principal, input.runId);
      if (!view) throw apiError("NOT_FOUND", `training job ${input.runId} not found`);
      return this.execute({
        type: "CancelTraining",
        cloneId: view._id,
        actor: actorOf(principal),
        runId: input.runId,
        ...(input.reason ? { reason: input.reason } : {}),
      });
    });
  }

  async buildDataset(
    principal: AuthPrincipal,
    input: { cloneId: string; spec: DatasetRequestSpec },
    idempotencyKey?: string | null,
  ): Promise<CloneView> {
    return this.idempotent(principal, idempotencyKey, "buildDataset", input, async () => {
      await this.owned(principal, input.cloneId);
      return this.execute({
        type: "RequestDataset",
        cloneId: input.cloneId,
        actor: actorOf(principal),
        requestId: newId(),
        spec: input.spec,
      });
    });
  }

  /**
   * Records the purge, then deletes the archives and their inspection summaries: a crash in between
   * leaves files that the next purge deletes, never a source that claims to exist but is gone.
   */
  async purgeRawData(
    principal: AuthPrincipal,
    cloneId: string,
    idempotencyKey?: string | null,
  ): Promise<CloneView> {
    return this.idempotent(principal, idempotencyKey, "purgeRawData", { cloneId }, async () => {
      await this.owned(principal, cloneId);
      const view = await this.execute({ type: "PurgeRawData", cloneId, actor: actorOf(principal) });
      await this.deps.artifacts.deletePrefix(kindPrefix(cloneId, "source"));
      await this.deps.artifacts.deletePrefix(kindPrefix(cloneId, "inspection"));
      return view;
    });
  }

  /** Packs the chosen adapter version (the newest by default) into the next bundle version and records it. */
  publishClone(
    principal: AuthPrincipal,
    input: { cloneId: string; adapterVersion?: number | null },
    idempotencyKey?: string | null,
  ): Promise<CloneView> {
    const { cloneId } = input;
    return this.idempotent(principal, idempotencyKey, "publishClone", input, async () => {
      const view = await this.require(principal, cloneId);
      const publisher = this.deps.publisher;
      if (!publisher) throw apiError("CONFLICT", "this platform has no bundle publisher configured");
      const adapter = adapterToPublish(view, input.adapterVersion ?? null);
      const version = view.published.length + 1;
      const bundle = await publisher.publish({
        cloneId,
        version,
        name: view.name,
        persona: view.persona
          ? {
              displayName: view.persona.displayName,
              systemPrompt: view.persona.systemPrompt,
              language: view.persona.language,
            }
          : null,
        baseModel: adapter.baseModel,
        adapterKey: adapter.artifactKey,
        adapterVersion: adapter.adapterVersion,
      });
      try {
        return await this.execute({
          type: "PublishClone",
          cloneId,
          actor: actorOf(principal),
          version,
          adapterVersion: adapter.adapterVersion,
          ...bundle,
        });
      } catch (error) {
        // Refused (e.g. published meanwhile): the archive of the losing attempt must not linger.
        await this.deps.artifacts.delete(bundle.artifactKey);
        throw error;
      }
    });
  }

  /** Goes back (or forward) to an already published bundle: `latest` installs it until the next publish. */
  async selectPublishedVersion(
    principal: AuthPrincipal,
    cloneId: string,
    version: number,
  ): Promise<CloneView> {
    await this.owned(principal, cloneId);
    return this.execute({ type: "SelectPublishedVersion", cloneId, actor: actorOf(principal), version });
  }

  /** A token that downloads this clone's bundles (and nothing else); its secret is returned once. */
  async createInstallToken(
    principal: AuthPrincipal,
    input: { cloneId: string; expiresInSeconds: number; name: string },
  ): Promise<NewInstallToken> {
    if (!Number.isInteger(input.expiresInSeconds) || input.expiresInSeconds < 60)
      throw apiError("BAD_USER_INPUT", "expiresIn: must be at least 60 seconds", { field: "expiresIn" });
    await this.owned(principal, input.cloneId);
    const token = generateInstallToken();
    const now = new Date();
    const view = await this.execute({
      type: "CreateInstallToken",
      cloneId: input.cloneId,
      actor: actorOf(principal),
      tokenId: token.keyId,
      name: input.name,
      hash: token.hash,
      prefix: token.prefix,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + input.expiresInSeconds * 1000).toISOString(),
    });
    return { view, tokenId: token.keyId, token: token.token };
  }

  async revokeInstallToken(principal: AuthPrincipal, cloneId: string, tokenId: string): Promise<CloneView> {
    await this.owned(principal, cloneId);
    return this.execute({ type: "RevokeInstallToken", cloneId, actor: actorOf(principal), tokenId });
  }

  async deleteClone(
    principal: AuthPrincipal,
    cloneId: string,
    idempotencyKey?: string | null,
  ): Promise<CloneView> {
    return this.idempotent(principal, idempotencyKey, "deleteClone", { cloneId }, async () => {
      await this.owned(principal, cloneId);
      const view = await this.execute({ type: "DeleteClone", cloneId, actor: actorOf(principal) });
      // After the event: a crash in between leaves a key and files the sweeper finds, never a live clone
      // without them. The key goes first: from then on nothing of the clone can be read, wherever it is.
      await this.deps.cloneKeys.destroy(cloneId);
      this.deps.commands.forget(cloneStreamId(cloneId));
      await this.deps.artifacts.deletePrefix(clonePrefix(cloneId));
      return view;
    });
  }

  private async idempotent(
    principal: AuthPrincipal,
    key: string | null | undefined,
    operation: string,
    request: unknown,
    action: () => Promise<CloneView>,
  ): Promise<CloneView> {
    let acted: CloneView | undefined;
    const { cloneId } = await this.deps.idempotency.run(
      principal.ownerId,
      key,
      operation,
      request,
      async () => {
        acted = await action();
        return { cloneId: acted._id };
      },
    );
    if (acted) return acted;
    // A repeat answers with the clone as it is now, like a GET after the first call would.
    const view = await this.deps.models.clones.get(cloneId);
    if (!view) throw notFound(cloneId);
    return view;
  }
}

/** The completed run whose adapter a publish packs: the chosen version, else the newest. */
function adapterToPublish(
  view: CloneView,
  wanted: number | null,
): { adapterVersion: number; baseModel: string; artifactKey: string } {
  const completed = view.trainingRuns.filter(
    (r) => trainingRunStatusOf(r.status) === "completed" && r.artifactKey && r.adapterVersion,
  );
  if (completed.length === 0)
    throw apiError("CONFLICT", "publishing needs a completed training; none has completed yet");
  const run =
    wanted === null
      ? completed.sort((a, b) => (b.adapterVersion ?? 0) - (a.adapterVersion ?? 0))[0]
      : completed.find((r) => r.adapterVersion === wanted);
  if (!run?.artifactKey || !run.adapterVersion)
    throw apiError(
      "CONFLICT",
      `adapter version ${wanted} does not exist; pick one of the completed trainings`,
    );
  return { adapterVersion: run.adapterVersion, baseModel: run.baseModel, artifactKey: run.artifactKey };
}
