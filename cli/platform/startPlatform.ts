import { Authenticator } from "../../api/auth/authenticator.js";
import type { ApiServices } from "../../api/context.js";
import { buildApiSchema } from "../../api/schema.js";
import { type RunningApiServer, startApiServer } from "../../api/server.js";
import { CloneService } from "../../api/services/cloneService.js";
import { IdempotencyGuard, type IdempotencyRecord } from "../../api/services/idempotency.js";
import { OwnerService } from "../../api/services/ownerService.js";
import { UpdateFeed } from "../../api/subscriptions/updateFeed.js";
import { CommandHandler } from "../../infra/eventsourcing/commandHandler.js";
import { type CheckpointDoc, EventRelay } from "../../infra/relay/eventRelay.js";
import { Projector } from "../../projections/projector.js";
import { ReadModels } from "../../projections/readModels.js";
import { ReadModelWaiter } from "../../projections/readModelWaiter.js";
import type { PlatformConfig } from "../config/platformConfig.js";
import { type Adapters, closeAdapters, openAdapters } from "./adapters.js";
import type { Logger } from "./logger.js";

export interface RunningPlatform {
  url: string;
  graphqlUrl: string;
  /** The first owner's key when this start initialised an empty platform; null otherwise. */
  initialApiKey: string | null;
  adapters: Adapters;
  services: ApiServices;
  models: ReadModels;
  stop(): Promise<void>;
}

/** How long start-up waits for the relay to publish the log written before this start. */
const CATCH_UP_TIMEOUT_MS = 10 * 60_000;

/** The one-process platform: API, relay, projections (and later the workers) over the configured adapters. */
export async function startPlatform(config: PlatformConfig, logger: Logger): Promise<RunningPlatform> {
  const adapters = await openAdapters(config, logger);
  const { eventStore, bus, documents, artifacts } = adapters;
  const stops: (() => Promise<void>)[] = [() => closeAdapters(adapters)];
  const stopAll = async () => {
    for (const stop of stops.reverse().splice(0)) await stop();
  };
  try {
    const models = new ReadModels(documents);
    await models.ensureIndexes();
    const projector = new Projector(models, bus);
    await projector.start();
    stops.push(() => projector.stop());
    const feed = new UpdateFeed(bus);
    await feed.start();
    stops.push(() => feed.stop());

    const relay = new EventRelay(
      eventStore,
      bus,
      documents.collection<CheckpointDoc>("relay_checkpoints"),
      logger.child({ component: "relay" }),
    );
    const head = await eventStore.headPosition();
    const caughtUp = relay.waitFor(head, CATCH_UP_TIMEOUT_MS);
    await relay.start();
    stops.push(() => relay.stop());
    await caughtUp;
    logger.info({ head: head ?? "empty" }, "read models caught up with the event log");

    const commands = new CommandHandler(eventStore);
    const waiter = new ReadModelWaiter(models, projector);
    const idempotency = new IdempotencyGuard(documents.collection<IdempotencyRecord>("idempotency_keys"));
    const services: ApiServices = {
      clones: new CloneService({
        store: eventStore,
        commands,
        models,
        waiter,
        artifacts,
        idempotency,
        uploadMaxBytes: config.api.uploadMaxBytes,
        defaultBaseModel: config.training.defaultBaseModel,
      }),
      owners: new OwnerService(eventStore, commands, models, waiter, idempotency),
      feed,
    };
    const bootstrap = await services.owners.bootstrap();
    if (bootstrap)
      logger.info({ ownerId: bootstrap.ownerId }, "empty platform: created the first owner and its key");

    let ready = false;
    const server: RunningApiServer = await startApiServer({
      schema: await buildApiSchema(),
      services,
      authenticator: new Authenticator(models),
      logger: logger.child({ component: "api" }),
      host: config.api.host,
      port: config.api.port,
      uploadMaxBytes: config.api.uploadMaxBytes,
      requestMaxBytes: config.api.requestMaxBytes,
      isReady: () => ready,
    });
    // The API closes first, so no request arrives at a stopped relay or a closed store.
    stops.push(async () => {
      ready = false;
      await server.close();
    });
    ready = true;

    let stopping: Promise<void> | undefined;
    return {
      url: server.url,
      graphqlUrl: server.graphqlUrl,
      initialApiKey: bootstrap?.token ?? null,
      adapters,
      services,
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
