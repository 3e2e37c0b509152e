import { createReadStream } from "node:fs";
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import {
  type Actor,
  type CloneCommand,
  type CloneEvent,
  cloneCommandRoute,
  type DatasetRequestSpec,
  datasetFileKey,
  datasetPrefix,
  isCloneEventType,
  parseCloneEvent,
  principalOf,
  refusedWith,
  type SourceInspection,
} from "../../domain/index.js";
import { ArtifactNotFoundError, type ArtifactStore } from "../../infra/blobstore/artifactStore.js";
import type { DeliveredMessage, EventBus, Subscription } from "../../infra/bus/eventBus.js";
import { parseEnvelope } from "../../infra/bus/eventEnvelope.js";
import type { CommandHandler } from "../../infra/eventsourcing/commandHandler.js";
import { CommandSender, causeOf } from "../../infra/eventsourcing/commandSender.js";
import type { EventStore, RecordedEvent } from "../../infra/eventstore/eventStore.js";
import { addCorrections } from "../dataset/correctionSamples.js";
import { exportFilesSource } from "../dataset/exportFilesSource.js";
import {
  build,
  type DatasetStats,
  inspect,
  inspectAndBuild,
  type ResolvedOwner,
  resolveOwner,
  type SourceSummary,
} from "../dataset/index.js";
import { ocrForBuild } from "../ocr/ocrForBuild.js";
import { composeTransforms, speechForBuild } from "../speech/speechForBuild.js";
import { inspectionOf, unreadableInspection } from "./inspectionOf.js";
import { requestedCorrections } from "./requestedCorrections.js";
import { downloadSource, requestedSources, type StoredSource, withoutScratchPaths } from "./sourceFiles.js";
import { storedSummaryOf, storeSummary } from "./storedSummaries.js";

export interface WorkerLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface DatasetWorkerDeps {
  bus: EventBus;
  store: EventStore;
  commands: CommandHandler;
  artifacts: ArtifactStore;
  /** Scratch space for downloaded archives and the build's output; emptied after each job. */
  workDir: string;
  logger: WorkerLogger;
  /** A local Whisper model folder: voice notes are transcribed (none is bundled; without it they are counted). */
  speechModel?: string;
  /** The loss weight of the owner's corrections when the request names none (dataset.correctionWeight). */
  correctionWeight?: number;
}

/** The platform's default weight of a correction sample (configuration: dataset.correctionWeight). */
export const DEFAULT_CORRECTION_WEIGHT = 2;

const actor: Actor = { kind: "system", name: "pipeline" };
export const pipelineGroup = "pipeline";

/**
 * The dataset pipeline as a worker: on SourceUploaded it inspects the archive (SourceInspected), on
 * DatasetRequested it builds from the sources the event names (DatasetBuilt or DatasetFailed). It answers
 * with commands; the decider ignores repeated answers, so a redelivered event costs work but no effect.
 */
export class DatasetWorker {
  private subscription: Subscription | undefined;
  /** Answers go to the clone's stream; a clone deleted while the job ran refuses them (NOT_FOUND). */
  private readonly sender = new CommandSender({
    commands: this.deps.commands,
    ...cloneCommandRoute,
    principal: principalOf(actor),
    expected: refusedWith("NOT_FOUND"),
  });

  constructor(private readonly deps: DatasetWorkerDeps) {}

  async start(): Promise<void> {
    await mkdir(this.deps.workDir, { recursive: true });
    this.subscription = await this.deps.bus.subscribe(
      "clone-events",
      { group: pipelineGroup, maxAttempts: 3 },
      (message) => this.handle(message),
    );
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
  }

  private async handle(message: DeliveredMessage): Promise<void> {
    const recorded = parseEnvelope(message.value);
    if (!isCloneEventType(recorded.type)) return;
    const event = parseCloneEvent(recorded.type, recorded.data);
    if (event.type === "SourceUploaded") await this.inspectSource(event, recorded);
    else if (event.type === "DatasetRequested") await this.buildDataset(event, recorded);
  }

  private async inspectSource(
    event: Extract<CloneEvent, { type: "SourceUploaded" }>,
    recorded: RecordedEvent,
  ) {
    const { cloneId, sourceId, fileName, artifactKey } = event.data;
    await this.inScratch(async (dir) => {
      let inspection: SourceInspection;
      let summary: SourceSummary | null = null;
      try {
        const path = await downloadSource(this.deps.artifacts, { sourceId, fileName, artifactKey }, dir);
        summary = await inspect(exportFilesSource([path]).records);
        inspection = inspectionOf(summary);
      } catch (error) {
        if (isGone(error)) return; // purged or deleted meanwhile: nothing to inspect
        inspection = unreadableInspection(reasonOf(error, dir));
        this.deps.logger.warn({ cloneId, sourceId, reason: inspection.error }, "export could not be read");
      }
      // Kept beside the upload (before the answer, which may lead to a build) so that dataset builds
      // need not read the archive again just to summarise it.
      if (summary) await storeSummary(this.deps.artifacts, cloneId, sourceId, summary);
      await this.answer({ type: "RecordSourceInspection", cloneId, actor, sourceId, inspection }, recorded);
    });
  }

  private async buildDataset(
    event: Extract<CloneEvent, { type: "DatasetRequested" }>,
    recorded: RecordedEvent,
  ) {
    const { cloneId, requestId, sourceIds, spec } = event.data;
    const started = Date.now();
    await this.inScratch(async (dir) => {
      let sources: StoredSource[] = [];
      try {
        sources = await requestedSources(this.deps.store, event.data);
        const paths: string[] = [];
        for (const source of sources)
          paths.push(await downloadSource(this.deps.artifacts, source, join(dir, "sources")));
        const outDir = join(dir, "out");
        const { stats, owner, reads } = await this.readAndBuild(paths, spec, outDir, {
          stored: await storedSummaryOf(this.deps.artifacts, cloneId, sourceIds),
        });
        if (stats.samples === 0)
          throw new Error(
            `no samples: the owner ${owner.name} has no replies that could be used (${describeDrops(stats.dropped)})`,
          );
        // The owner's corrections: train samples and preference pairs, beside the build (docs/corrections.md).
        const corrections = await addCorrections(
          outDir,
          await requestedCorrections(this.deps.store, event.data),
          {
            systemPrompt: stats.systemPrompt,
            weight: spec.correctionWeight ?? this.deps.correctionWeight ?? DEFAULT_CORRECTION_WEIGHT,
          },
        );
        const prefix = datasetPrefix(cloneId, requestId);
        for (const name of await readdir(outDir))
          await this.deps.artifacts.put(datasetFileKey(prefix, name), createReadStream(join(outDir, name)), {
            contentType: name.endsWith(".json") ? "application/json" : "application/jsonl",
          });
        await this.answer(
          {
            type: "RecordDatasetBuilt",
            cloneId,
            actor,
            requestId,
            sourceIds,
            artifactKey: prefix,
            stats: {
              conversations: stats.chats.filter((c) => c.samples > 0).length,
              samples: stats.samples + corrections.samples,
              ownerMessages: stats.ownerMessages,
              droppedMessages: Object.values(stats.dropped).reduce((a, b) => a + b, 0),
              trainSamples: stats.trainSamples + corrections.samples,
              validationSamples: stats.valSamples,
              ...(event.data.correctionIds ? { corrections: corrections.samples } : {}),
            },
          },
          recorded,
        );
        this.deps.logger.info(
          { cloneId, requestId, samples: stats.samples, reads, ms: Date.now() - started },
          "dataset built",
        );
      } catch (error) {
        if (isGone(error) && !(await this.sourcesExist(sources))) {
          await this.answer(
            { type: "RecordDatasetFailed", cloneId, actor, requestId, reason: "the raw exports were purged" },
            recorded,
          );
          return;
        }
        const reason = reasonOf(error, dir);
        this.deps.logger.warn({ cloneId, requestId, reason }, "dataset build failed");
        await this.answer({ type: "RecordDatasetFailed", cloneId, actor, requestId, reason }, recorded);
      }
    });
  }

  /**
   * The build of the downloaded exports into outDir. With the uploads' stored summaries, one read; without
   * them (an upload from before summaries were stored, or parts that cannot be combined exactly), inspection
   * and build share one read where the owner guessed from the first records holds (inspectAndBuild, as the
   * CLI builds). OCR and speech need the owner before the first record is read (their transforms read only
   * the owner's attachments), so without a stored summary they inspect first and build after.
   */
  private async readAndBuild(
    paths: readonly string[],
    spec: DatasetRequestSpec,
    outDir: string,
    { stored }: { stored: SourceSummary | null },
  ): Promise<{ stats: DatasetStats; owner: ResolvedOwner; reads: number }> {
    const selectors = spec.owners ?? (spec.owner ? [spec.owner] : []);
    const { speechModel } = this.deps;
    if (!stored && !spec.ocr && !speechModel) {
      const { stats, owner, passes } = await inspectAndBuild(exportFilesSource(paths).records, {
        resolveOwner: (summary) => resolveOwner(summary, selectors),
        build: { ...buildOptionsOf(spec), outDir },
      });
      return { stats, owner, reads: passes };
    }
    const summary = stored ?? (await inspect(exportFilesSource(paths).records));
    const owner = resolveOwner(summary, selectors);
    const ocr = spec.ocr ? await ocrForBuild(owner.ids) : null;
    const speech = speechModel ? await speechForBuild(owner.ids, { modelDir: speechModel }) : null;
    try {
      const transform = composeTransforms([ocr?.transform, speech?.transform]);
      const records = exportFilesSource(paths, transform ? { transform } : {}).records;
      const stats = await build(records, { ...buildOptionsOf(spec), owner, outDir, summary });
      await ocr?.recordIn(outDir);
      await speech?.recordIn(outDir);
      return { stats, owner, reads: stored ? 1 : 2 };
    } finally {
      await speech?.close();
    }
  }

  private async sourcesExist(sources: readonly StoredSource[]): Promise<boolean> {
    for (const source of sources) if (!(await this.deps.artifacts.stat(source.artifactKey))) return false;
    return true;
  }

  /** A refused answer (the clone was deleted while the job ran) has nowhere to go: it is dropped. */
  private async answer(command: CloneCommand, cause: RecordedEvent): Promise<void> {
    await this.sender.send(command, causeOf(cause));
  }

  private async inScratch(job: (dir: string) => Promise<void>): Promise<void> {
    const dir = await mkdtemp(join(this.deps.workDir, "job-"));
    try {
      await job(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

function buildOptionsOf(spec: DatasetRequestSpec) {
  return {
    includeChats: spec.includeChats,
    excludeChats: spec.excludeChats,
    includeContacts: spec.includeContacts,
    excludeContacts: spec.excludeContacts,
    ...(spec.sessionGapMinutes !== undefined ? { sessionGapHours: spec.sessionGapMinutes / 60 } : {}),
    ...(spec.valFraction !== undefined ? { valFraction: spec.valFraction } : {}),
    ...(spec.pseudonymizeContacts !== undefined ? { pseudonymize: spec.pseudonymizeContacts } : {}),
  };
}

const isGone = (error: unknown) => error instanceof ArtifactNotFoundError;
/** The error's message for the person: no folder of this machine in it (the scratch folder's paths named by the file). */
const reasonOf = (error: unknown, scratchDir: string) =>
  withoutScratchPaths(error instanceof Error ? error.message : String(error), scratchDir).slice(0, 3_900);
const describeDrops = (dropped: Record<string, number>) =>
  Object.entries(dropped)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([reason, n]) => `${reason}: ${n}`)
    .join(", ") || "no messages by them";
