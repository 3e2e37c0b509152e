/** The bundle format, for the runtime and for the platform's publisher (which may import this folder). */
export * from "./cloneBundleSchema.js";
export { ADAPTER_FILE_NAME, type InitBundleOptions, initBundle } from "./initBundle.js";
export { BundleError, type LoadedBundle, loadBundle, parseBundleManifest } from "./loadBundle.js";
