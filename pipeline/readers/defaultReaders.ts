import type { ExportReader } from "../model/exportSource.js";
import { discordReader } from "./discord/index.js";
import { telegramReader } from "./telegram/index.js";
import { telegramHtmlReader } from "./telegramHtml/index.js";
import { vkReader } from "./vk/index.js";
import { whatsappReader } from "./whatsapp/index.js";

/**
 * The readers of the platform, in detection order. Telegram first: its result.json is the most common upload;
 * each reader's `accepts` is strict enough that the order only matters for speed (the HTML readers take
 * only their own page names: tdesktop's `messages.html`/`messagesN.html`, VK's `messages/<id>/messagesN.html`).
 */
export function defaultReaders(): readonly ExportReader[] {
  return [telegramReader, telegramHtmlReader, whatsappReader, discordReader, vkReader];
}
