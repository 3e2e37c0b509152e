import { resolve } from "node:path";
import type { ArtifactStore } from "../../infra/blobstore/artifactStore.js";
import { LocalArtifactStore } from "../../infra/blobstore/localArtifactStore.js";
import { S3ArtifactStore } from "../../infra/blobstore/s3ArtifactStore.js";
import type { EventBus } from "../../infra/bus/eventBus.js";
import { InProcessEventBus } from "../../infra/bus/inProcessEventBus.js";
import { KafkaEventBus } from "../../infra/bus/kafkaEventBus.js";
import { OpeningEventBus } from "../../infra/bus/openingEventBus.js";
import type { DataKeyring } from "../../infra/crypto/dataKeyring.js";
import type { DocumentStore } from "../../infra/docstore/documentStore.js";
import { MongoDocumentStore } from "../../infra/docstore/mongoDocumentStore.js";
import { SqliteDocumentStore } from "../../infra/docstore/sqliteDocumentStore.js";
import type { EventStore } from "../../infra/eventstore/eventStore.js";
import { EventStoreDbEventStore } from "../../infra/eventstore/eventStoreDbEventStore.js";
import { SealingEventStore } from "../../infra/eventstore/sealingEventStore.js";
import { SqliteEventStore } from "../../infra/eventstore/sqliteEventStore.js";
import type { PlatformConfig } from "../config/platformConfig.js";
import { openDataProtection } from "./dataProtection.js";
import type { Logger } from "./logger.js";

/** The one place where configuration picks concrete adapters; everything else sees only ports. */
export interface Adapters {
  /** Personal fields encrypted on append and opened on read (the clone's key). */
  eventStore: EventStore;
  /** The engine underneath, events as stored (personal fields sealed): what the relay publishes. */
  eventLog: EventStore;
  /** Delivers relayed events with their personal fields opened. */
  bus: EventBus;
  /** The clones' read models with their personal fields encrypted (the clone's key). */
  documents: DocumentStore;
  /** The engine underneath, for what is no clone's data and needs the engine itself (rate counters). */
  storedDocuments: DocumentStore;
  /** Clones' personal artifacts encrypted at rest. */
  artifacts: ArtifactStore;
  /** Per-clone data keys; destroying one crypto-shreds the clone. */
  keyring: DataKeyring;
}

function openEventStore(config: PlatformConfig, dataDir: string): Promise<EventStore> | EventStore {
  const c = config.eventStore;
  return c.kind === "sqlite"
    ? SqliteEventStore.open(resolve(dataDir, c.path ?? "events.sqlite"))
    : EventStoreDbEventStore.connect(c.url);
}

export async function openDocumentStore(config: PlatformConfig, dataDir: string): Promise<DocumentStore> {
  const c = config.documentStore;
  if (c.kind === "sqlite") return SqliteDocumentStore.open(resolve(dataDir, c.path ?? "read-models.sqlite"));
  return MongoDocumentStore.connect(c.url, { database: c.database });
}

export async function openArtifactStore(config: PlatformConfig, dataDir: string): Promise<ArtifactStore> {
  const c = config.artifacts;
  if (c.kind === "local") return new LocalArtifactStore(resolve(dataDir, c.dir ?? "artifacts"));
  const store = new S3ArtifactStore({
    bucket: c.bucket,
    region: c.region,
    forcePathStyle: c.forcePathStyle,
    keyPrefix: c.prefix,
    suffixObjectKeys: c.suffixObjectKeys,
    ...(c.endpoint ? { endpoint: c.endpoint } : {}),
    ...(c.accessKeyId && c.secretAccessKey
      ? { credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey } }
      : {}),
  });
  await store.ensureBucket();
  return store;
}

export function createBus(config: PlatformConfig, logger: Logger): EventBus {
  const c = config.bus;
  if (c.kind === "in-process") return new InProcessEventBus(logger.child({ component: "bus" }));
  return new KafkaEventBus({
    brokers: c.brokers,
    clientId: c.clientId,
    topicPrefix: c.topicPrefix,
    partitions: c.partitions,
    logger: logger.child({ component: "bus" }),
  });
}

export async function openAdapters(config: PlatformConfig, logger: Logger): Promise<Adapters> {
  const dataDir = resolve(config.dataDir);
  const opened: { close(): Promise<void> }[] = [];
  const track = <T extends { close(): Promise<void> }>(adapter: T): T => {
    opened.push(adapter);
    return adapter;
  };
  try {
    const eventLog = track(await openEventStore(config, dataDir));
    const stored = track(await openDocumentStore(config, dataDir));
    const protection = await openDataProtection(config, stored, logger);
    const documents = protection.protectDocuments(stored);
    const artifacts = protection.protect(track(await openArtifactStore(config, dataDir)));
    const bus = new OpeningEventBus(track(createBus(config, logger)), protection.sealer);
    const eventStore = new SealingEventStore(eventLog, protection.sealer);
    logger.info(
      {
        eventStore: config.eventStore.kind,
        bus: config.bus.kind,
        documentStore: config.documentStore.kind,
        artifacts: config.artifacts.kind,
        dataDir,
        roles: config.roles,
      },
      "adapters opened",
    );
    return {
      eventStore,
      eventLog,
      bus,
      documents,
      storedDocuments: stored,
      artifacts,
      keyring: protection.keyring,
    };
  } catch (error) {
    await Promise.allSettled(opened.map((a) => a.close()));
    throw error;
  }
}

export async function closeAdapters(adapters: Adapters): Promise<void> {
  await adapters.bus.close();
  await Promise.allSettled([
    adapters.eventStore.close(),
    adapters.documents.close(),
    adapters.artifacts.close(),
  ]);
}
