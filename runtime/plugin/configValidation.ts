/** Validates a plugin's config with the Standard Schema its manifest brings (zod, valibot, arktype, …). */
import type { ConfigSchema } from "@aiclone/plugin-sdk";
import { PluginLoadError } from "./pluginErrors.js";

type IssuePath = ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;

const pathText = (path: IssuePath) =>
  (path ?? []).map((segment) => String(typeof segment === "object" ? segment.key : segment)).join(".");

/** Returns the validated (and defaulted) config; throws naming each bad field under `where`. */
export async function validatePluginConfig<Config>(
  schema: ConfigSchema<Config>,
  value: unknown,
  where: string,
): Promise<Config> {
  const result = await schema["~standard"].validate(value);
  if (result.issues) {
    const issues = result.issues.map((issue) => {
      const path = pathText(issue.path);
      return `${path ? `${where}.${path}` : where}: ${issue.message}`;
    });
    throw new PluginLoadError(issues.join("; "));
  }
  return result.value;
}
