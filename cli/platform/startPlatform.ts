import { resolve } from "node:path";
import type { ApiServices } from "../../api/context.js";
import { ArtifactSweeper } from "../../api/services/artifactSweeper.js";
import { UpdateFeed } from "../../api/subscriptions/updateFeed.js";
import { CommandHandler } from "../../infra/eventsourcing/commandHandler.js";
import { type CheckpointDoc, EventRelay } from "../../infra/relay/eventRelay.js";
import { DatasetWorker } from "../../pipeline/worker/datasetWorker.js";
import { Projector } from "../../projections/projector.js";
import { ReadModels } from "../../projections/readModels.js";
import { type PlatformConfig, type PlatformRole, platformRoles } from "../config/platformConfig.js";
import { type Adapters, closeAdapters, openAdapters } from "./adapters.js";
import { type RunningApi, startApiRole } from "./apiRole.js";
import { cloneKeysOf } from "./dataProtection.js";
import type { Logger } from "./logger.js";
import { type PlatformParts, StopList } from "./platformParts.js";
import { startPreviewRole } from "./preview/previewRole.js";
import { startTraining } from "./training.js";

export interface RunningPlatform {
  roles: readonly PlatformRole[];
  /** Base URL of the API; throws in a process without the `api` role. */
  readonly url: string;
  readonly graphqlUrl: string;
  /** The first owner's key when this start initialised an empty platform; null otherwise. */
  initialApiKey: string | null;
  adapters: Adapters;
  /** The API's services; throws in a process without the `api` role. */
  readonly services: ApiServices;
  models: ReadModels;
  stop(): Promise<void>;
}

/** How long start-up waits for the relay to publish the log written before this start. */
const CATCH_UP_TIMEOUT_MS = 10 * 60_000;

/**
 * The platform, or the part of it this process's roles name: `api` (GraphQL server), `relay` (event
 * log → bus), `projections` (bus → read models), `pipeline` (the dataset worker), `training` (the trainer
 * gateway, plus a local trainer worker when training.backend is local), `preview` (answers preview replies of trained
 * adapters with node-llama-cpp). On embedded defaults one process runs all; on
 * the distributed engines any number of API processes share one relay and projection worker.
 *
 * Steps: check the roles, open the stores, start the consumers of the bus, start the relay (which waits
 * until the log written before this start is on the bus), then serve the API. A failed step stops what
 * the earlier ones started.
 */
export async function startPlatform(config: PlatformConfig, logger: Logger): Promise<RunningPlatform> {
  const roles = checkedRoles(config);
  const parts = await openStores(config, logger);
  try {
    const projector = roles.has("projections") ? await startProjections(parts) : undefined;
    // The api role's feed subscribes now, before the relay publishes, so it misses no update.
    const feed = roles.has("api") ? await subscribeUpdateFeed(parts) : undefined;
    if (roles.has("pipeline")) await startPipeline(parts);
    if (roles.has("training")) await startTrainingRole(parts);
    if (roles.has("preview")) await startPreviewRole(parts);
    if (roles.has("relay")) {
      scheduleArtifactSweeps(parts);
      await startRelay(parts);
    }
    const api = roles.has("api") ? await startApiRole(parts, feed!, projector) : null;
    return runningPlatform(parts, api);
  } catch (error) {
    await parts.stops.stopAll();
    throw error;
  }
}

function checkedRoles(config: PlatformConfig): ReadonlySet<PlatformRole> {
  const roles = new Set(config.roles);
  if (config.bus.kind === "in-process" && roles.size < platformRoles.length)
    throw new Error(
      "roles: an in-process bus cannot reach other processes; run every role, or use bus.kind kafka",
    );
  return roles;
}

/** The adapters (closed last at stop) and the read models' indexes, which every role shares. */
async function openStores(config: PlatformConfig, logger: Logger): Promise<PlatformParts> {
  const adapters = await openAdapters(config, logger);
  const stops = new StopList();
  stops.push(() => closeAdapters(adapters));
  try {
    const models = new ReadModels(adapters.documents);
    const cloneKeys = cloneKeysOf(adapters.keyring, adapters.documents);
    await models.ensureIndexes();
    return { config, logger, adapters, models, cloneKeys, stops };
  } catch (error) {
    await stops.stopAll();
    throw error;
  }
}

async function startProjections({ models, adapters, stops }: PlatformParts): Promise<Projector> {
  const projector = new Projector(models, adapters.bus);
  await projector.start();
  stops.push(() => projector.stop());
  return projector;
}

async function subscribeUpdateFeed({ adapters, stops }: PlatformParts): Promise<UpdateFeed> {
  const feed = new UpdateFeed(adapters.bus);
  await feed.start();
  stops.push(() => feed.stop());
  return feed;
}

async function startPipeline({ config, logger, adapters, stops }: PlatformParts): Promise<void> {
  const { bus, eventStore, artifacts } = adapters;
  const worker = new DatasetWorker({
    bus,
    store: eventStore,
    commands: new CommandHandler(eventStore),
    artifacts,
    workDir: resolve(config.dataDir, "work", "pipeline"),
    correctionWeight: config.dataset.correctionWeight,
    logger: logger.child({ component: "pipeline" }),
    ...(config.pipeline.speechModel ? { speechModel: resolve(config.pipeline.speechModel) } : {}),
  });
  await worker.start();
  stops.push(() => worker.stop());
}

async function startTrainingRole({ config, logger, adapters, stops }: PlatformParts): Promise<void> {
  const training = await startTraining(config, adapters, logger);
  stops.push(() => training.stop());
}

/** The relay role also sweeps orphaned artifacts, every maintenance.sweepIntervalMinutes (0: never). */
function scheduleArtifactSweeps({ config, logger, adapters, models, cloneKeys, stops }: PlatformParts): void {
  const { sweepIntervalMinutes, sweepMinAgeMinutes } = config.maintenance;
  if (sweepIntervalMinutes <= 0) return;
  const sweeper = new ArtifactSweeper(models, adapters.artifacts, cloneKeys);
  const sweepLogger = logger.child({ component: "sweeper" });
  const timer = setInterval(() => {
    sweeper.sweep({ minAgeMs: sweepMinAgeMinutes * 60_000 }).then(
      (report) =>
        report.orphans.length + report.incomplete + report.shreddedKeys.length > 0 &&
        sweepLogger.info(
          {
            orphans: report.orphans.length,
            incomplete: report.incomplete,
            keys: report.shreddedKeys.length,
          },
          "artifacts swept",
        ),
      (error: unknown) => sweepLogger.warn({ err: error }, "artifact sweep failed"),
    );
  }, sweepIntervalMinutes * 60_000);
  timer.unref();
  stops.push(async () => clearInterval(timer));
}

/** Starts the relay and waits until it has published the log as it stood at this start. */
async function startRelay({ logger, adapters, stops }: PlatformParts): Promise<void> {
  const relay = new EventRelay(
    // The log as stored: events travel the bus with their personal fields sealed.
    adapters.eventLog,
    adapters.bus,
    adapters.documents.collection<CheckpointDoc>("relay_checkpoints"),
    logger.child({ component: "relay" }),
  );
  const head = await adapters.eventStore.headPosition();
  const caughtUp = relay.waitFor(head, CATCH_UP_TIMEOUT_MS);
  await relay.start();
  stops.push(() => relay.stop());
  await caughtUp;
  logger.info({ head: head ?? "empty" }, "relay caught up with the event log");
}

function runningPlatform(parts: PlatformParts, api: RunningApi | null): RunningPlatform {
  const requireApi = (): RunningApi => {
    if (!api) throw new Error("this process runs no `api` role");
    return api;
  };
  let stopping: Promise<void> | undefined;
  return {
    roles: parts.config.roles,
    get url() {
      return requireApi().server.url;
    },
    get graphqlUrl() {
      return requireApi().server.graphqlUrl;
    },
    get services() {
      return requireApi().services;
    },
    initialApiKey: api?.initialApiKey ?? null,
    adapters: parts.adapters,
    models: parts.models,
    stop: () => {
      stopping ??= parts.stops.stopAll();
      return stopping;
    },
  };
}
