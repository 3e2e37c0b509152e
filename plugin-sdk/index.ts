/**
 * The AI Clone runtime's plugin SDK: the interface a plugin implements (`pluginApi.ts`), the port of a
 * vector-store plugin (`vectorStore.ts`) and the kit several plugins share (`kit/`). Plugins import this
 * package and nothing of the runtime; the runtime implements what it declares.
 */
export * from "./kit/conversationQueue.js";
export * from "./kit/indexManifest.js";
export * from "./kit/messageSplitter.js";
export * from "./pluginApi.js";
export * from "./vectorStore.js";
