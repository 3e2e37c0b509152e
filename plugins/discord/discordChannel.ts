import type { ChannelPlugin, PluginContext } from "@aiclone/plugin-sdk";
import { ConversationQueue, splitMessage } from "@aiclone/plugin-sdk";
import {
  ChannelType,
  Client,
  Events,
  GatewayIntentBits,
  type Message,
  Partials,
  type SendableChannels,
} from "discord.js";
import type { DiscordConfig } from "./discordConfig.js";
import { shouldAnswer, withoutBotMention } from "./messageAddressing.js";

export const DISCORD_MESSAGE_LIMIT = 2000;
/** Discord shows "typing…" for about 10 seconds after each call. */
const TYPING_REPEAT_MS = 8000;

/** The Discord channel: DMs and mentions in allowed channels, one remembered conversation per channel. */
export class DiscordChannel implements ChannelPlugin {
  readonly client: Client;
  private readonly queue = new ConversationQueue();
  private readonly stopping = new AbortController();

  constructor(private readonly context: PluginContext<DiscordConfig>) {
    this.client = new Client({
      intents: [
        GatewayIntentBits.Guilds,
        GatewayIntentBits.GuildMessages,
        GatewayIntentBits.MessageContent,
        GatewayIntentBits.DirectMessages,
      ],
      // DM channels are not cached before their first message; without this their messages are dropped.
      partials: [Partials.Channel],
      // The model's text must never ping @everyone, roles or users.
      allowedMentions: { parse: [], repliedUser: false },
      ...(context.config.restApi ? { rest: { api: context.config.restApi.replace(/\/+$/, "") } } : {}),
    });
    this.client.on(Events.MessageCreate, (message) => this.onMessage(message));
    this.client.on(Events.Error, (error) =>
      context.logger.error({ error: String(error) }, "discord client error"),
    );
    // discord.js reconnects by itself; a session it gives up on is fatal for the plugin.
    this.client.on(Events.Invalidated, () => context.fail(new Error("the Discord session was invalidated")));
    this.client.on(Events.ShardDisconnect, (event, shardId) => {
      if (!this.stopping.signal.aborted) {
        context.fail(new Error(`Discord shard ${shardId} disconnected for good (close code ${event.code})`));
      }
    });
  }

  async start(): Promise<void> {
    const ready = new Promise<void>((resolve) => this.client.once(Events.ClientReady, () => resolve()));
    await this.client.login(this.context.config.token);
    await ready;
    this.context.logger.info({ bot: this.client.user?.tag }, "discord bot connected");
  }

  async stop(): Promise<void> {
    this.stopping.abort(new Error("the discord channel is stopping"));
    await this.client.destroy();
    await this.queue.idle();
  }

  private onMessage(message: Message): void {
    const botId = this.client.user?.id;
    if (!botId || message.author.id === botId) return;
    const isDm = message.channel.type === ChannelType.DM;
    const decision = shouldAnswer(this.context.config, {
      authorId: message.author.id,
      authorIsBot: message.author.bot,
      guildChannelId: isDm ? null : message.channelId,
      mentionsBot: message.mentions.users.has(botId),
    });
    if (!decision.answer) {
      this.context.logger.debug(
        { userId: message.author.id, channelId: message.channelId, reason: decision.reason },
        "ignored a discord message",
      );
      return;
    }
    const text = withoutBotMention(message.content, botId);
    if (!text) return;
    void this.queue
      .run(message.channelId, () => this.answer(message, text, isDm))
      .catch((error: unknown) => {
        this.context.logger.error(
          { error: String(error), channelId: message.channelId },
          "discord reply failed",
        );
      });
  }

  private async answer(message: Message, text: string, isDm: boolean): Promise<void> {
    const signal = AbortSignal.any([this.stopping.signal, this.context.signal]);
    if (signal.aborted || !message.channel.isSendable()) return;
    const channel: SendableChannels = message.channel;
    const typing = () => void channel.sendTyping().catch(() => {});
    typing();
    const timer = setInterval(typing, TYPING_REPEAT_MS);
    let reply: Awaited<ReturnType<PluginContext["chat"]>>;
    try {
      reply = await this.context.chat(
        {
          conversationId: message.channelId,
          partner: {
            id: message.author.id,
            displayName: message.member?.displayName ?? message.author.displayName,
          },
          text,
        },
        { signal },
      );
    } finally {
      clearInterval(timer);
    }
    if (signal.aborted || reply.finishReason === "abort") return;
    const pieces = splitMessage(reply.text, DISCORD_MESSAGE_LIMIT);
    for (const [index, piece] of pieces.entries()) {
      // In a server channel the first piece quotes the message it answers (without pinging its author).
      if (index === 0 && !isDm) await message.reply({ content: piece });
      else await channel.send({ content: piece });
    }
  }
}
