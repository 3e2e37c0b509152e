import type { Command } from "commander";
import { ArtifactSweeper } from "../../api/services/artifactSweeper.js";
import { ReadModels } from "../../projections/readModels.js";
import { loadPlatformConfig } from "../config/loadConfig.js";
import { closeAdapters, openAdapters } from "../platform/adapters.js";
import { cloneKeysOf } from "../platform/dataProtection.js";
import { createLogger } from "../platform/logger.js";

export function registerArtifactCommands(program: Command): void {
  const artifacts = program
    .command("artifacts")
    .description("the artifact store (uploads, datasets, adapters, bundles)");
  artifacts
    .command("sweep")
    .description("remove artifacts no recorded event refers to, and unfinished writes (after a crash)")
    .option("-c, --config <file>", "JSON configuration file")
    .option("--min-age-minutes <n>", "leave anything younger alone (a write may still be running)", "60")
    .option("--dry-run", "list what would be removed")
    .action(async (options: { config?: string; minAgeMinutes: string; dryRun?: boolean }) => {
      const minutes = Number(options.minAgeMinutes);
      if (!Number.isFinite(minutes) || minutes < 0) {
        console.error(
          `aiclone artifacts sweep: --min-age-minutes must be a number >= 0, got '${options.minAgeMinutes}'`,
        );
        process.exitCode = 1;
        return;
      }
      const config = await loadPlatformConfig({ file: options.config });
      const adapters = await openAdapters(config, createLogger(config.log.level));
      try {
        const report = await new ArtifactSweeper(
          new ReadModels(adapters.documents),
          adapters.artifacts,
          cloneKeysOf(adapters.keyring, adapters.documents),
        ).sweep({
          minAgeMs: minutes * 60_000,
          dryRun: options.dryRun === true,
        });
        for (const key of report.orphans)
          console.log(`${options.dryRun ? "would remove" : "removed"} ${key}`);
        for (const cloneId of report.shreddedKeys)
          console.log(
            `${options.dryRun ? "would destroy" : "destroyed"} the data key of deleted clone ${cloneId}`,
          );
        console.log(
          `${report.orphans.length} orphaned artifact(s)${options.dryRun ? " found" : " removed"}, ${report.incomplete} unfinished write(s) removed, ${report.shreddedKeys.length} data key(s) of deleted clones ${options.dryRun ? "found" : "destroyed"}`,
        );
      } finally {
        await closeAdapters(adapters);
      }
    });
}
