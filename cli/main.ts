import {
  registerBundleCommands,
  registerCorrectionsCommands,
  registerRuntimeCommands,
} from "aiclone-runtime/cli";
import { Command } from "commander";
import { registerArtifactCommands } from "./commands/artifactCommands.js";
import { registerDatasetCommands } from "./commands/datasetCommands.js";
import { registerPlatformCommands } from "./commands/platformCommands.js";
import { registerProjectionCommands } from "./commands/projectionCommands.js";
import { registerSchemaCommands } from "./commands/schemaCommands.js";
import { registerSecurityCommands } from "./commands/securityCommands.js";
import { registerTrainCommands } from "./commands/trainCommands.js";
import { registerTrainerWorkerCommands } from "./commands/trainerWorkerCommands.js";
import { ConfigError } from "./config/loadConfig.js";

const program = new Command("aiclone")
  .description("AI Clone Platform: chat exports → a LoRA clone of you → a local runtime")
  .showHelpAfterError();
registerPlatformCommands(program);
registerDatasetCommands(program);
registerSchemaCommands(program);
registerProjectionCommands(program);
registerTrainCommands(program);
registerRuntimeCommands(program);
registerBundleCommands(program);
// The runtime's `corrections export`: the owner's corrections of a local bundle or installed clone, as a file.
registerCorrectionsCommands(program);
registerTrainerWorkerCommands(program);
registerArtifactCommands(program);
registerSecurityCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // A bad configuration is the user's to fix: say what, without a stack trace.
  console.error(error instanceof ConfigError ? `aiclone: ${error.message}` : error);
  process.exitCode = 1;
}
