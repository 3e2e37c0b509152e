/** A plugin that cannot be loaded (not found, a bad manifest, an incompatible API, a bad config). */
export class PluginLoadError extends Error {
  override readonly name = "PluginLoadError";
}
