/**
 * The Discord channel (discord.js v14): DMs from allowed users and mentions in allowed channels,
 * typing indicator, replies split at Discord's 2000-character limit.
 */
import { definePlugin } from "@aiclone/plugin-sdk";
import { DiscordChannel } from "./discordChannel.js";
import { discordConfigSchema } from "./discordConfig.js";

export default definePlugin({
  manifest: {
    name: "discord",
    kind: "channel",
    version: "1.0.0",
    apiVersion: "^1.0.0",
    description: "Discord bot: DMs and mentions in allowed channels",
    configSchema: discordConfigSchema,
  },
  create: (context) => new DiscordChannel(context),
});
