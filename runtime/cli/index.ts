/** `aiclone-runtime/cli`: the runtime's commands, for its own binary and for the platform's `aiclone`. */
export { registerBundleCommands } from "./bundleCommands.js";
export { registerCorrectionsCommands } from "./correctionsCommands.js";
export { builtinPlugins, registerRuntimeCommands } from "./runtimeCommands.js";
