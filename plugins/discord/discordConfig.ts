import { z } from "zod";

const snowflake = z.string().regex(/^\d{17,20}$/, "must be a Discord id (a snowflake of 17–20 digits)");

/** Config of the Discord channel (the `config` of its entry in clone.json). */
export const discordConfigSchema = z
  .object({
    /** The bot token from the Discord developer portal. */
    token: z.string().min(20, "token must be the bot token from the developer portal"),
    /** The person the clone belongs to: always answered. */
    ownerId: snowflake,
    /** Users answered besides the owner; default: the owner alone. */
    allowedUserIds: z.array(snowflake).optional(),
    /** Server channels where the bot answers mentions; DMs need no entry. */
    allowedChannelIds: z.array(snowflake).default([]),
    /** Answer every user (in DMs and allowed channels). Must be set explicitly. */
    public: z.boolean().default(false),
    /** Discord's REST API base, e.g. a proxy or, in tests, a local stand-in (default https://discord.com/api). */
    restApi: z.url({ protocol: /^https?$/, error: "restApi must be an http(s) URL" }).optional(),
  })
  .transform((config) => ({
    ...config,
    allowedUserIds: [...new Set([config.ownerId, ...(config.allowedUserIds ?? [])])],
  }));

export type DiscordConfig = z.output<typeof discordConfigSchema>;
