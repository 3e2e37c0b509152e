import type { DiscordConfig } from "./discordConfig.js";

/** What the channel needs to know about a message to decide whether to answer it. */
export interface MessageFacts {
  authorId: string;
  authorIsBot: boolean;
  /** null for a DM. */
  guildChannelId: string | null;
  mentionsBot: boolean;
}

/**
 * DMs from allowed users, and mentions by allowed users in allowed channels, are answered; everything
 * else gets silence (logged), so strangers cannot even tell a bot reads them.
 */
export function shouldAnswer(
  config: Pick<DiscordConfig, "allowedUserIds" | "allowedChannelIds" | "public">,
  facts: MessageFacts,
): { answer: boolean; reason: string } {
  if (facts.authorIsBot) return { answer: false, reason: "author is a bot" };
  if (!config.public && !config.allowedUserIds.includes(facts.authorId)) {
    return { answer: false, reason: "author not on the allow-list" };
  }
  if (facts.guildChannelId === null) return { answer: true, reason: "direct message" };
  if (!config.allowedChannelIds.includes(facts.guildChannelId)) {
    return { answer: false, reason: "channel not on the allow-list" };
  }
  return facts.mentionsBot
    ? { answer: true, reason: "mentioned" }
    : { answer: false, reason: "not mentioned" };
}

/** The text without mentions of the bot (`<@id>` and the legacy `<@!id>`). */
export function withoutBotMention(content: string, botId: string): string {
  return content
    .replaceAll(`<@${botId}>`, "")
    .replaceAll(`<@!${botId}>`, "")
    .replace(/\s{2,}/g, " ")
    .trim();
}
