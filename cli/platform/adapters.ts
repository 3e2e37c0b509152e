import { join, resolve } from "node:path";
import type { ArtifactStore } from "../../infra/blobstore/artifactStore.js";
import { LocalArtifactStore } from "../../infra/blobstore/localArtifactStore.js";
import type { EventBus } from "../../infra/bus/eventBus.js";
import { InProcessEventBus } from "../../infra/bus/inProcessEventBus.js";
import type { DocumentStore } from "../../infra/docstore/documentStore.js";
import { SqliteDocumentStore } from "../../infra/docstore/sqliteDocumentStore.js";
import type { EventStore } from "../../infra/eventstore/eventStore.js";
import { EventStoreDbEventStore } from "../../infra/eventstore/eventStoreDbEventStore.js";
import { SqliteEventStore } from "../../infra/eventstore/sqliteEventStore.js";
import type { PlatformConfig } from "../config/platformConfig.js";
import type { Logger } from "./logger.js";

/** The one place where configuration picks concrete adapters; everything else sees only ports. */
export interface Adapters {
  eventStore: EventStore;
  bus: EventBus;
  documents: DocumentStore;
  artifacts: ArtifactStore;
}

export async function openAdapters(config: PlatformConfig, logger: Logger): Promise<Adapters> {
  const dataDir = resolve(config.dataDir);
  const opened: { close(): Promise<void> }[] = [];
  try {
    const eventStore =
      config.eventStore.kind === "sqlite"
        ? await SqliteEventStore.open(resolve(dataDir, config.eventStore.path ?? "events.sqlite"))
        : EventStoreDbEventStore.connect(config.eventStore.url);
    opened.push(eventStore);
    const documents = await SqliteDocumentStore.open(
      resolve(dataDir, config.documentStore.path ?? "read-models.sqlite"),
    );
    opened.push(documents);
    const artifacts = new LocalArtifactStore(resolve(dataDir, config.artifacts.dir ?? "artifacts"));
    opened.push(artifacts);
    const bus = new InProcessEventBus(logger.child({ component: "bus" }));
    logger.info(
      {
        eventStore: config.eventStore.kind,
        bus: config.bus.kind,
        documentStore: config.documentStore.kind,
        artifacts: config.artifacts.kind,
        dataDir: join(dataDir),
      },
      "adapters opened",
    );
    return { eventStore, bus, documents, artifacts };
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
