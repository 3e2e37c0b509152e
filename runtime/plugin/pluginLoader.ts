/**
 * Finds each enabled plugin of the bundle and checks it before anything starts: built-ins by name through
 * the registry the composition root passes in (the runtime never imports a plugin itself), third-party
 * ones by path or npm package. The module's default export must be a PluginDefinition whose API range
 * includes this runtime's PLUGIN_API_VERSION, and the config must pass the plugin's own schema.
 */
import { createRequire } from "node:module";
import { isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { PLUGIN_API_VERSION, type PluginDefinition } from "@aiclone/plugin-sdk";
import { z } from "zod";
import { validatePluginConfig } from "./configValidation.js";
import { PluginLoadError } from "./pluginErrors.js";
import { SemverRangeError, satisfies } from "./semverRange.js";

/** Built-in plugins by name, loaded lazily so a missing one only fails when it is enabled. */
export type BuiltinPluginRegistry = Readonly<Record<string, () => Promise<unknown>>>;

export interface PluginEntry {
  name: string;
  path?: string;
  package?: string;
  enabled: boolean;
  config: Record<string, unknown>;
}

export interface LoadedPlugin {
  name: string;
  definition: PluginDefinition;
  config: unknown;
  /** Where it came from, for logs: "built-in", a path or a package name. */
  origin: string;
}

const manifestSchema = z.object({
  name: z.string().regex(/^[a-z0-9][\w.-]*$/i, { message: "expected letters, digits, '.', '_' or '-'" }),
  kind: z.enum(["channel", "rag", "vector-store"]),
  version: z.string().regex(/^\d+\.\d+\.\d+(?:[-+][\w.-]+)?$/, { message: "expected a semver version" }),
  apiVersion: z.string(),
  description: z.string().optional(),
  configSchema: z.custom<PluginDefinition["manifest"]["configSchema"]>(
    (value) =>
      typeof value === "object" &&
      value !== null &&
      typeof (value as { "~standard"?: { validate?: unknown } })["~standard"]?.validate === "function",
    { message: "expected a Standard Schema validator (zod 4, valibot, arktype, …)" },
  ),
});

/** Checks what a plugin module exported; `where` names it in errors. */
export function validateDefinition(exported: unknown, where: string): PluginDefinition {
  if (typeof exported !== "object" || exported === null)
    throw new PluginLoadError(
      `${where}: the module's default export is not a plugin definition (use definePlugin)`,
    );
  const definition = exported as Partial<PluginDefinition>;
  const manifest = manifestSchema.safeParse(definition.manifest);
  if (!manifest.success) {
    const issue = manifest.error.issues[0];
    throw new PluginLoadError(
      `${where}: manifest.${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`,
    );
  }
  if (typeof definition.create !== "function")
    throw new PluginLoadError(`${where}: the plugin definition has no create(context) function`);
  let compatible: boolean;
  try {
    compatible = satisfies(PLUGIN_API_VERSION, manifest.data.apiVersion);
  } catch (error) {
    if (!(error instanceof SemverRangeError)) throw error;
    throw new PluginLoadError(`${where}: manifest.apiVersion: ${error.message}`);
  }
  if (!compatible)
    throw new PluginLoadError(
      `${where}: manifest.apiVersion '${manifest.data.apiVersion}' does not include this runtime's plugin API ${PLUGIN_API_VERSION}`,
    );
  return definition as PluginDefinition;
}

const defaultExport = (module: unknown): unknown => {
  const first = (module as { default?: unknown } | null)?.default ?? module;
  // A CommonJS module compiled from ESM exports `{ default: definition }` as its default.
  const nested = (first as { default?: unknown } | null)?.default;
  return nested && typeof nested === "object" && "manifest" in nested ? nested : first;
};

async function importPackage(name: string, bundleDir: string): Promise<unknown> {
  try {
    return await import(name);
  } catch (first) {
    // Not installed beside the runtime: a package installed in the bundle folder.
    try {
      const resolved = createRequire(join(bundleDir, "package.json")).resolve(name);
      return await import(pathToFileURL(resolved).href);
    } catch {
      throw first;
    }
  }
}

async function importPlugin(
  entry: PluginEntry,
  registry: BuiltinPluginRegistry,
  bundleDir: string,
): Promise<{ module: unknown; origin: string }> {
  if (entry.path !== undefined) {
    const file = isAbsolute(entry.path) ? entry.path : resolve(bundleDir, entry.path);
    return { module: await import(pathToFileURL(file).href), origin: file };
  }
  if (entry.package !== undefined)
    return { module: await importPackage(entry.package, bundleDir), origin: entry.package };
  const builtin = Object.hasOwn(registry, entry.name) ? registry[entry.name] : undefined;
  if (!builtin)
    throw new PluginLoadError(
      `no built-in plugin '${entry.name}' (built-ins: ${Object.keys(registry).join(", ") || "none"}); a third-party plugin needs "path" or "package"`,
    );
  return { module: await builtin(), origin: "built-in" };
}

/** Loads and checks one entry; `where` is how clone.json names it (`plugins.2`). */
export async function loadPlugin(
  entry: PluginEntry,
  where: string,
  options: { registry: BuiltinPluginRegistry; bundleDir: string },
): Promise<LoadedPlugin> {
  const label = `${where} (${entry.name})`;
  let imported: { module: unknown; origin: string };
  try {
    imported = await importPlugin(entry, options.registry, options.bundleDir);
  } catch (error) {
    if (error instanceof PluginLoadError) throw new PluginLoadError(`${label}: ${error.message}`);
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND"
        ? `cannot be found (${(error as Error).message.split("\n")[0]})`
        : `failed to load: ${(error as Error).message}`;
    throw new PluginLoadError(`${label}: ${reason}`);
  }
  const definition = validateDefinition(defaultExport(imported.module), label);
  if (definition.manifest.name !== entry.name)
    throw new PluginLoadError(
      `${where}.name: '${entry.name}' does not match the plugin's manifest name '${definition.manifest.name}'`,
    );
  const config = await validatePluginConfig(
    definition.manifest.configSchema,
    entry.config,
    `${where}.config`,
  );
  return { name: entry.name, definition, config, origin: imported.origin };
}

/** Loads every enabled entry, in order; the first problem stops start-up. */
export async function loadEnabledPlugins(
  entries: readonly PluginEntry[],
  options: { registry: BuiltinPluginRegistry; bundleDir: string },
): Promise<LoadedPlugin[]> {
  const loaded: LoadedPlugin[] = [];
  for (const [index, entry] of entries.entries())
    if (entry.enabled) loaded.push(await loadPlugin(entry, `plugins.${index}`, options));
  return loaded;
}
