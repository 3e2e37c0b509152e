/**
 * The Telegram channel (grammY): long polling or a webhook, allow-listed users only (the owner by
 * default), typing indicator, replies split at Telegram's limit, mentions in groups, and an optional
 * "approve before sending" mode.
 */
import { definePlugin } from "@aiclone/plugin-sdk";
import { TelegramChannel } from "./telegramChannel.js";
import { telegramConfigSchema } from "./telegramConfig.js";

export default definePlugin({
  manifest: {
    name: "telegram",
    kind: "channel",
    version: "1.0.0",
    apiVersion: "^1.2.0",
    description: "Telegram bot: allow-listed users, groups by mention, approve-before-sending",
    configSchema: telegramConfigSchema,
  },
  create: (context) => new TelegramChannel(context),
});
