/**
 * The runtime's public entry (`aiclone-runtime`): start a clone from its bundle, and the logger it uses.
 * Subpaths: `aiclone-runtime/bundle` (the bundle format), `/engine` (the prompt contract, the engine),
 * `/fidelity` (the fidelity report), `/rag` (documents and embeddings), `/cli` (its commands).
 */
export { buildSystemPrompt, promptWords } from "./chat/systemPrompt.js";
export { createRuntimeLogger, type RuntimeLogger } from "./logger.js";
export { type Runtime, type RuntimeOptions, startRuntime, stopOnSignals } from "./runtime.js";
