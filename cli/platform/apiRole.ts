import { fileURLToPath } from "node:url";
import { parseCorrectionsFile } from "aiclone-runtime/corrections";
import { Authenticator } from "../../api/auth/authenticator.js";
import type { ApiServices } from "../../api/context.js";
import { dashboardRoutes } from "../../api/http/dashboardRoutes.js";
import { buildApiSchema } from "../../api/schema.js";
import { type RunningApiServer, startApiServer } from "../../api/server.js";
import { BlindTestService } from "../../api/services/blindTestService.js";
import { CloneService } from "../../api/services/cloneService.js";
import { CorrectionsService } from "../../api/services/correctionsService.js";
import { IdempotencyGuard, type IdempotencyRecord } from "../../api/services/idempotency.js";
import { OwnerService } from "../../api/services/ownerService.js";
import { PreviewService } from "../../api/services/previewService.js";
import type { UpdateFeed } from "../../api/subscriptions/updateFeed.js";
import type { SigningKey } from "../../infra/crypto/signingKey.js";
import { CommandHandler } from "../../infra/eventsourcing/commandHandler.js";
import type { Projector } from "../../projections/projector.js";
import { ReadModelWaiter } from "../../projections/readModelWaiter.js";
import { checkTrainingRequest } from "../../trainer-gateway/trainingRequest.js";
import type { PlatformParts } from "./platformParts.js";
import { baseModelCatalog, createBundlePublisher, installRoutesFor, trainerMachine } from "./publishing.js";
import { rateLimitersFor } from "./rateLimiters.js";
import { loadSigningKey } from "./signingKey.js";

/** The `api` role once it serves: its services, its server and the key a first start created. */
export interface RunningApi {
  services: ApiServices;
  server: RunningApiServer;
  /** The first owner's key when this start initialised an empty platform; null otherwise. */
  initialApiKey: string | null;
}

/** The `api` role: its services, then its server, with the platform's install-signing key. */
export async function startApiRole(parts: PlatformParts, feed: UpdateFeed, projector?: Projector) {
  const signingKey = await loadSigningKey(parts.config, parts.logger);
  const services = createApiServices(parts, feed, projector, signingKey.publicKeyBase64);
  // The preview replies' reader subscribes before the server answers (stopped after the server closes).
  await services.preview.start();
  parts.stops.push(() => services.preview.stop());
  return serveApi(parts, services, signingKey);
}

/**
 * The `api` role's services over the update feed (subscribed earlier, see startPlatform). Without a local
 * projector (`projections` role elsewhere) the waiter polls the read models another process maintains.
 */
export function createApiServices(
  parts: PlatformParts,
  feed: UpdateFeed,
  projector: Projector | undefined,
  platformKey: string,
): ApiServices {
  const { config, models, cloneKeys } = parts;
  const { eventStore, documents, artifacts } = parts.adapters;
  const commands = new CommandHandler(eventStore);
  const waiter = new ReadModelWaiter(models, projector);
  const idempotency = new IdempotencyGuard(
    documents.collection<IdempotencyRecord>("idempotency_keys"),
    config.api.idempotencyLeaseMs,
  );
  const services: Omit<ApiServices, "clones" | "preview" | "blindTest" | "corrections"> = {
    owners: new OwnerService(eventStore, commands, models, waiter, idempotency),
    feed,
    // Empty until serveApi knows the server's address, unless configured.
    publicUrl: config.api.publicUrl?.replace(/\/$/, "") ?? "",
    platformKey,
    baseModels: () => baseModelCatalog(config.training.defaultBaseModel, trainerMachine(config)),
  };
  const clones = new CloneService({
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
    // Read at each publish, so it sees the address serveApi fills in.
    publisher: createBundlePublisher(config, artifacts, () => services.publicUrl),
  });
  const preview = new PreviewService({
    bus: parts.adapters.bus,
    requireClone: (principal, cloneId) => clones.require(principal, cloneId),
    limits: config.preview.limits,
    startTimeoutMs: config.preview.startTimeoutSeconds * 1000,
    keepEndedMs: config.preview.keepEndedSeconds * 1000,
  });
  const blindTest = new BlindTestService({
    requireClone: (principal, cloneId) => clones.require(principal, cloneId),
    readArtifactText: (key) => clones.datasetFileText(key),
    generate: (principal, input) => preview.complete(principal, input),
    record: (principal, command) => clones.blindTrial(principal, command),
  });
  const corrections = new CorrectionsService({
    requireClone: (principal, cloneId) => clones.require(principal, cloneId),
    record: (principal, command) => clones.recordCorrections(principal, command),
    corrections: models.corrections,
    parseFile: parseCorrectionsFile,
    fileMaxBytes: config.api.requestMaxBytes,
  });
  return Object.assign(services, { clones, preview, blindTest, corrections });
}

/**
 * Creates the first owner of an empty platform, then starts the GraphQL server with the install and
 * dashboard routes. The server answers not-ready until it is fully wired, and closes first at stop, so no
 * request arrives at a stopped relay or a closed store.
 */
export async function serveApi(
  parts: PlatformParts,
  services: ApiServices,
  signingKey: SigningKey,
): Promise<RunningApi> {
  const { config, logger, models, stops } = parts;
  const { storedDocuments, artifacts } = parts.adapters;
  const bootstrap = await services.owners.bootstrap();
  if (bootstrap)
    logger.info({ ownerId: bootstrap.ownerId }, "empty platform: created the first owner and its key");

  let ready = false;
  const authenticator = new Authenticator(models);
  const server = await startApiServer({
    schema: await buildApiSchema(),
    services,
    authenticator,
    routes: [
      installRoutesFor(models, artifacts, authenticator, () => services.publicUrl, signingKey),
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
    rateLimiters: rateLimitersFor(storedDocuments, logger.child({ component: "api" })),
    isReady: () => ready,
  });
  // Known only now when the port was 0; an explicit api.publicUrl (a proxy, a public host) wins.
  if (!services.publicUrl) services.publicUrl = server.url;
  stops.push(async () => {
    ready = false;
    await server.close();
  });
  ready = true;
  return { services, server, initialApiKey: bootstrap?.token ?? null };
}
