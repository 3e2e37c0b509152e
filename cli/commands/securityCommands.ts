import { resolve } from "node:path";
import type { Command } from "commander";
import { MasterKey } from "../../infra/crypto/masterKey.js";
import { loadPlatformConfig } from "../config/loadConfig.js";
import { openDocumentStore } from "../platform/adapters.js";
import { openDataProtection } from "../platform/dataProtection.js";
import { createLogger } from "../platform/logger.js";

export function registerSecurityCommands(program: Command): void {
  const security = program
    .command("security")
    .description("the master key that protects every clone's data key");
  security
    .command("new-master-key")
    .description(
      "print a new random master key (base64) for security.masterKey / AICLONE_SECURITY__MASTER_KEY",
    )
    .action(() => {
      console.log(MasterKey.generate().base64);
    });
  security
    .command("rewrap-keys")
    .description(
      "rotation: wrap every clone's data key with the current master key (set the old one in security.previousMasterKeys first)",
    )
    .option("-c, --config <file>", "JSON configuration file (AICLONE_* variables override it)")
    .action(async (options: { config?: string }) => {
      const config = await loadPlatformConfig({ file: options.config });
      const logger = createLogger(config.log.level);
      const documents = await openDocumentStore(config, resolve(config.dataDir));
      try {
        const { keyring } = await openDataProtection(config, documents, logger);
        const count = await keyring.rewrapAll();
        console.log(`${count} data key(s) re-wrapped with the current master key`);
      } finally {
        await documents.close();
      }
    });
}
