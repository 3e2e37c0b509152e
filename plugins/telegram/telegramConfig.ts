import { z } from "zod";

const userId = z.number().int().positive();

/** Config of the Telegram channel (the `config` of its entry in clone.json). */
export const telegramConfigSchema = z
  .object({
    /** The bot token from @BotFather. */
    token: z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, "token must look like '123456:ABC…' (from @BotFather)"),
    /** The Bot API server; a self-hosted one or, in tests, a local stand-in. */
    apiRoot: z
      .url({ protocol: /^https?$/, error: "apiRoot must be an http(s) URL" })
      .default("https://api.telegram.org")
      .transform((url) => url.replace(/\/+$/, "")),
    /** The person the clone belongs to: always answered, and the approver of drafts. */
    ownerId: userId,
    /** Telegram user ids answered besides the owner; default: the owner alone. */
    allowedUserIds: z.array(userId).optional(),
    /** Answer everybody. Must be set explicitly: a clone answering strangers is a choice. */
    public: z.boolean().default(false),
    /** Send each reply to the owner first, with Send / Edit / Skip buttons. */
    approve: z.boolean().default(false),
    /** Receive updates by webhook instead of long polling. */
    webhook: z
      .object({
        /** The public https URL Telegram posts to (usually a reverse proxy in front of host:port). */
        url: z.url({ protocol: /^https?$/, error: "webhook.url must be an http(s) URL" }),
        /** Telegram sends it in X-Telegram-Bot-Api-Secret-Token; 1–256 of A-Z a-z 0-9 _ -. */
        secret: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, "secret must be 1–256 of A-Z, a-z, 0-9, _ and -"),
        /** Where this plugin's own HTTP server listens for the posts. */
        host: z.string().min(1).default("127.0.0.1"),
        port: z.number().int().min(0).max(65535).default(8443),
      })
      .optional(),
  })
  .transform((config) => ({
    ...config,
    allowedUserIds: [...new Set([config.ownerId, ...(config.allowedUserIds ?? [])])],
  }));

export type TelegramConfig = z.output<typeof telegramConfigSchema>;
