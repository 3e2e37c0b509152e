import { resolve } from "node:path";
import type { Command } from "commander";
import { loadPlatformConfig } from "../config/loadConfig.js";
import { createBus, openArtifactStore, openDocumentStore } from "../platform/adapters.js";
import { openDataProtection } from "../platform/dataProtection.js";
import { createLogger } from "../platform/logger.js";
import { createTrainerWorker } from "../platform/training.js";

export function registerTrainerWorkerCommands(program: Command): void {
  program
    .command("trainer")
    .description("trainer workers for the platform's training jobs")
    .command("worker")
    .description(
      "take training jobs from the bus and run them on this machine (a GPU box); needs the platform's Kafka, artifact store, document store (the clones' data keys) and master key",
    )
    .option("-c, --config <file>", "JSON configuration file (AICLONE_* variables override it)")
    .option("--device <name>", "how this worker describes its accelerator in the job's status")
    .action(async (options: { config?: string; device?: string }) => {
      const config = await loadPlatformConfig({ file: options.config });
      const logger = createLogger(config.log.level);
      if (config.bus.kind !== "kafka")
        throw new Error(
          "bus.kind: a separate trainer worker reaches the platform over Kafka; set bus.kind kafka",
        );
      if (config.artifacts.kind !== "s3")
        logger.warn({}, "artifacts.kind is local: this worker must share the platform's artifact folder");
      const bus = createBus(config, logger);
      // Datasets and training outputs are encrypted under the clone's key, kept in the platform's document store.
      const documents = await openDocumentStore(config, resolve(config.dataDir));
      const protection = await openDataProtection(config, documents, logger);
      const artifacts = protection.protect(await openArtifactStore(config, resolve(config.dataDir)));
      const worker = createTrainerWorker(config, { bus, artifacts }, logger, "remote", options.device);
      await worker.start();
      console.log(`trainer worker ${worker.workerId} waiting for jobs`);
      let signals = 0;
      const shutdown = (signal: NodeJS.Signals) => {
        if (++signals > 1) process.exit(130);
        logger.info({ signal }, "stopping: the running job checkpoints and goes back to the queue");
        worker
          .stop()
          .then(() => bus.close())
          .then(() => artifacts.close())
          .then(() => documents.close())
          .then(
            () => logger.flush(),
            (error: unknown) => {
              logger.error({ err: error }, "shutdown failed");
              process.exitCode = 1;
            },
          );
      };
      process.on("SIGINT", shutdown);
      process.on("SIGTERM", shutdown);
    });
}
