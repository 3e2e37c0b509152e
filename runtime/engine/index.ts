/** `aiclone-runtime/engine`: the prompt contract written into adapter.gguf, and the engine that honours it. */
export * from "./llamaEngine.js";
export * from "./promptContract.js";
