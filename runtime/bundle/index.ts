/** The bundle format, for the runtime and for the platform's publisher (which may import this folder). */
export * from "./cloneBundleSchema.js";
export { BundleError, type LoadedBundle, loadBundle, parseBundleManifest } from "./loadBundle.js";
