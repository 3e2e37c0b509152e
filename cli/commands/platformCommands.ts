import type { Command } from "commander";
import { loadPlatformConfig } from "../config/loadConfig.js";
import { createLogger } from "../platform/logger.js";
import { startPlatform } from "../platform/startPlatform.js";

export function registerPlatformCommands(program: Command): void {
  const platform = program
    .command("platform")
    .description("the training platform (API, relay, projections, workers)");
  platform
    .command("start")
    .description("run the whole platform in this process on the configured engines (embedded by default)")
    .option("-c, --config <file>", "JSON configuration file (AICLONE_* variables override it)")
    .action(async (options: { config?: string }) => {
      const config = await loadPlatformConfig({ file: options.config });
      const logger = createLogger(config.log.level);
      const running = await startPlatform(config, logger);
      if (running.initialApiKey) {
        console.log(`API key: ${running.initialApiKey}`);
        console.log("(shown once: store it now; it is the bearer token for the API)");
      }
      if (running.roles.includes("api")) {
        console.log(`Dashboard:   ${running.url}/`);
        console.log(`GraphQL API: ${running.graphqlUrl}`);
        console.log(`Health:      ${running.url}/healthz`);
      } else {
        console.log(`Worker running: ${running.roles.join(", ")}`);
      }

      let signals = 0;
      const shutdown = (signal: NodeJS.Signals) => {
        if (++signals > 1) {
          logger.warn({ signal }, "second signal: exiting without a clean shutdown");
          process.exit(130);
        }
        logger.info({ signal }, "shutting down");
        running.stop().then(
          () => {
            logger.info({}, "stopped");
            logger.flush();
          },
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
