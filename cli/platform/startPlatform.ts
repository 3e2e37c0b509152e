import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Authenticator } from "../../api/auth/authenticator.js";
import type { ApiServices } from "../../api/context.js";
import { dashboardRoutes } from "../../api/http/dashboardRoutes.js";
import { buildApiSchema } from "../../api/schema.js";
import { type RunningApiServer, startApiServer } from "../../api/server.js";
import { ArtifactSweeper } from "../../api/services/artifactSweeper.js";
import { CloneService } from "../../api/services/cloneService.js";
import { IdempotencyGuard, type IdempotencyRecord } from "../../api/services/idempotency.js";
import { OwnerService } from "../../api/services/ownerService.js";
import { UpdateFeed } from "../../api/subscriptions/updateFeed.js";
import { CommandHandler } from "../../infra/eventsourcing/commandHandler.js";
import { type CheckpointDoc, EventRelay } from "../../infra/relay/eventRelay.js";
import { DatasetWorker } from "../../pipeline/worker/datasetWorker.js";
import { Projector } from "../../projections/projector.js";
import { ReadModels } from "../../projections/readModels.js";
import { ReadModelWaiter } from "../../projections/readModelWaiter.js";
import { checkTrainingRequest } from "../../trainer-gateway/trainingRequest.js";
import { type PlatformConfig, type PlatformRole, platformRoles } from "../config/platformConfig.js";
import { type Adapters, closeAdapters, openAdapters } from "./adapters.js";
import { cloneKeysOf } from "./dataProtection.js";
import type { Logger } from "./logger.js";
import { baseModelCatalog, createBundlePublisher, installRoutesFor } from "./publishing.js";
import { rateLimitersFor } from "./rateLimiters.js";
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
 * gateway, plus a local trainer worker when training.backend is local). On embedded defaults one process runs all; on
 * the distributed engines any number of API processes share one relay and projection worker.
 */
export async function startPlatform(config: PlatformConfig, logger: Logger): Promise<RunningPlatform> {
  const roles = new Set(config.roles);
  if (config.bus.kind === "in-process" && roles.size < platformRoles.length)
    throw new Error(
      "roles: an in-process bus cannot reach other processes; run every role, or use bus.kind kafka",
    );
  const adapters = await openAdapters(config, logger);
  const { eventStore, bus, documents, artifacts } = adapters;
  const stops: (() => Promise<void>)[] = [() => closeAdapters(adapters)];
  const stopAll = async () => {
    for (const stop of stops.reverse().splice(0)) await stop();
  };
  try {
    const models = new ReadModels(documents);
    const cloneKeys = cloneKeysOf(adapters.keyring);
    await models.ensureIndexes();
    let projector: Projector | undefined;
    if (roles.has("projections")) {
      projector = new Projector(models, bus);
      await projector.start();
      stops.push(() => projector!.stop());
    }
    let feed: UpdateFeed | undefined;
    if (roles.has("api")) {
      feed = new UpdateFeed(bus);
      await feed.start();
      stops.push(() => feed!.stop());
    }
    if (roles.has("pipeline")) {
      const worker = new DatasetWorker({
        bus,
        store: eventStore,
        commands: new CommandHandler(eventStore),
        artifacts,
        workDir: resolve(config.dataDir, "work", "pipeline"),
        logger: logger.child({ component: "pipeline" }),
      });
      await worker.start();
      stops.push(() => worker.stop());
    }
    if (roles.has("training")) {
      const training = await startTraining(config, adapters, logger);
      stops.push(() => training.stop());
    }
    if (roles.has("relay") && config.maintenance.sweepIntervalMinutes > 0) {
      const sweeper = new ArtifactSweeper(models, artifacts, cloneKeys);
      const sweepLogger = logger.child({ component: "sweeper" });
      const timer = setInterval(() => {
        sweeper.sweep({ minAgeMs: config.maintenance.sweepMinAgeMinutes * 60_000 }).then(
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
      }, config.maintenance.sweepIntervalMinutes * 60_000);
      timer.unref();
      stops.push(async () => clearInterval(timer));
    }
    if (roles.has("relay")) {
      const relay = new EventRelay(
        // The log as stored: events travel the bus with their personal fields sealed.
        adapters.eventLog,
        bus,
        documents.collection<CheckpointDoc>("relay_checkpoints"),
        logger.child({ component: "relay" }),
      );
      const head = await eventStore.headPosition();
      const caughtUp = relay.waitFor(head, CATCH_UP_TIMEOUT_MS);
      await relay.start();
      stops.push(() => relay.stop());
      await caughtUp;
      logger.info({ head: head ?? "empty" }, "relay caught up with the event log");
    }

    let services: ApiServices | undefined;
    let server: RunningApiServer | undefined;
    let initialApiKey: string | null = null;
    if (feed) {
      const commands = new CommandHandler(eventStore);
      // Without a local projector the waiter polls the read models that another process maintains.
      const waiter = new ReadModelWaiter(models, projector);
      const idempotency = new IdempotencyGuard(
        documents.collection<IdempotencyRecord>("idempotency_keys"),
        config.api.idempotencyLeaseMs,
      );
      services = {
        clones: new CloneService({
          store: eventStore,
          commands,
          models,
          waiter,
          artifacts,
          cloneKeys,
          idempotency,
          uploadMaxBytes: config.api.uploadMaxBytes,
          ownerUploadBytes: config.api.limits.ownerUploadBytes,
          defaultBaseModel: config.training.defaultBaseModel,
          checkTrainingRequest,
          publisher: createBundlePublisher(config, artifacts, (): string => apiServices.publicUrl),
        }),
        owners: new OwnerService(eventStore, commands, models, waiter, idempotency),
        feed,
        publicUrl: config.api.publicUrl?.replace(/\/$/, "") ?? "",
        baseModels: () => baseModelCatalog(config.training.defaultBaseModel),
      };
      const apiServices: ApiServices = services;
      const bootstrap = await services.owners.bootstrap();
      if (bootstrap)
        logger.info({ ownerId: bootstrap.ownerId }, "empty platform: created the first owner and its key");
      initialApiKey = bootstrap?.token ?? null;

      let ready = false;
      const authenticator = new Authenticator(models);
      const api = await startApiServer({
        schema: await buildApiSchema(),
        services,
        authenticator,
        routes: [
          installRoutesFor(models, artifacts, authenticator, () => apiServices.publicUrl),
          dashboardRoutes(fileURLToPath(new URL("../../../dashboard/dist", import.meta.url))),
        ],
        logger: logger.child({ component: "api" }),
        host: config.api.host,
        port: config.api.port,
        uploadMaxBytes: config.api.uploadMaxBytes,
        requestMaxBytes: config.api.requestMaxBytes,
        queryLimits: config.api.limits,
        rateLimits: config.api.limits,
        anonymousWebSockets: config.api.limits.anonymousWebSockets,
        rateLimiters: rateLimitersFor(documents, logger.child({ component: "api" })),
        isReady: () => ready,
      });
      server = api;
      // Known only now when the port was 0; an explicit api.publicUrl (a proxy, a public host) wins.
      if (!apiServices.publicUrl) apiServices.publicUrl = api.url;
      // The API closes first, so no request arrives at a stopped relay or a closed store.
      stops.push(async () => {
        ready = false;
        await api.close();
      });
      ready = true;
    }

    const requireApi = <T>(value: T | undefined): T => {
      if (value === undefined) throw new Error("this process runs no `api` role");
      return value;
    };
    let stopping: Promise<void> | undefined;
    return {
      roles: config.roles,
      get url() {
        return requireApi(server).url;
      },
      get graphqlUrl() {
        return requireApi(server).graphqlUrl;
      },
      get services() {
        return requireApi(services);
      },
      initialApiKey,
      adapters,
      models,
      stop: () => {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
