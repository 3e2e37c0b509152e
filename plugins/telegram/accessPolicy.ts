import type { TelegramConfig } from "./telegramConfig.js";

/**
 * Whether a Telegram user may talk to the clone. Anyone else gets no answer at all (silence, logged):
 * a refusal would tell strangers a bot is there and invite them to keep trying.
 */
export function isAllowedUser(
  config: Pick<TelegramConfig, "public" | "allowedUserIds">,
  userId: number,
): boolean {
  return config.public || config.allowedUserIds.includes(userId);
}
