/**
 * What a plugin author tests with (`@aiclone/plugin-sdk/testing`): a fake plugin context for channel
 * plugins, a context for store tests, and the contract every `VectorStore` must pass.
 */
export * from "./fakePluginContext.js";
export * from "./storeTestContext.js";
export * from "./vectorStoreContract.js";
