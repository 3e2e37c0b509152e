#!/usr/bin/env node
/**
 * `aiclone-runtime`: the command of the runtime package that a published clone installs (scripts/packRuntime.mjs).
 * It reaches only the runtime, the plugins and their commands, never the platform.
 */
import { Command } from "commander";
import { registerBundleCommands } from "./bundleCommands.js";
import { registerCorrectionsCommands } from "./correctionsCommands.js";
import { registerRuntimeCommands } from "./runtimeCommands.js";

const program = new Command("aiclone-runtime")
  .description(
    "a published AI clone on this machine: web chat, OpenAI-compatible API, Telegram and Discord bots",
  )
  .showHelpAfterError();
registerRuntimeCommands(program);
registerBundleCommands(program);
registerCorrectionsCommands(program);
await program.parseAsync(process.argv);
