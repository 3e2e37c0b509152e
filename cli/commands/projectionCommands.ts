import type { Command } from "commander";
import { ReadModels } from "../../projections/readModels.js";
import { rebuildReadModels } from "../../projections/rebuild.js";
import { loadPlatformConfig } from "../config/loadConfig.js";
import { closeAdapters, openAdapters } from "../platform/adapters.js";
import { createLogger } from "../platform/logger.js";

export function registerProjectionCommands(program: Command): void {
  const projections = program.command("projections").description("read models built from the event log");
  projections
    .command("rebuild")
    .description("drop the read models and replay the whole event log into them (platform stopped)")
    .option("-c, --config <file>", "JSON configuration file")
    .action(async (options: { config?: string }) => {
      const config = await loadPlatformConfig({ file: options.config });
      const logger = createLogger(config.log.level);
      const adapters = await openAdapters(config, logger);
      try {
        const started = Date.now();
        const applied = await rebuildReadModels(
          adapters.eventStore,
          new ReadModels(adapters.documents),
          (n) => process.stderr.write(`\rreplayed ${n} events`),
        );
        process.stderr.write("\n");
        console.log(`rebuilt read models from ${applied} events in ${Date.now() - started} ms`);
      } finally {
        await closeAdapters(adapters);
      }
    });
}
