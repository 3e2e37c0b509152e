import type { ExportFile } from "../../model/exportSource.js";

const GUILD_KEY = /"guild"\s*:\s*\{/;
const CHANNEL_KEY = /"channel"\s*:\s*\{/;
const STARTS_AS_OBJECT = /^\uFEFF?\s*\{/;

/**
 * DCE writes `guild` then `channel` first in every file; requiring both as object keys (not just the words,
 * which any chat may contain) near the start keeps Telegram's result.json and other JSON out.
 */
export function looksLikeDiscordExport(file: ExportFile, head: Buffer): boolean {
  if (!file.path.toLowerCase().endsWith(".json")) return false;
  const text = head.toString("utf8");
  return STARTS_AS_OBJECT.test(text) && GUILD_KEY.test(text) && CHANNEL_KEY.test(text);
}
