import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ChannelPlugin, PluginContext } from "@aiclone/plugin-sdk";
import { ConversationQueue, splitMessage } from "@aiclone/plugin-sdk";
import { Bot, type Context, webhookCallback } from "grammy";
import { isAllowedUser } from "./accessPolicy.js";
import { ApprovalFlow, TELEGRAM_MESSAGE_LIMIT } from "./approvalFlow.js";
import { addressingOf } from "./groupAddressing.js";
import { partnerNameOf } from "./partnerName.js";
import type { TelegramConfig } from "./telegramConfig.js";
import { keepTyping } from "./typingIndicator.js";

/** The Telegram channel: grammY over long polling (or a webhook), one remembered conversation per chat. */
export class TelegramChannel implements ChannelPlugin {
  private readonly bot: Bot;
  private readonly queue = new ConversationQueue();
  private readonly stopping = new AbortController();
  private readonly approval: ApprovalFlow;
  private polling: Promise<void> | undefined;
  private webhookServer: Server | undefined;

  constructor(private readonly context: PluginContext<TelegramConfig>) {
    const { token, apiRoot, ownerId } = context.config;
    this.bot = new Bot(token, { client: { apiRoot } });
    this.approval = new ApprovalFlow(
      this.bot.api,
      context.storage,
      ownerId,
      (chatId, text, replyTo) => this.deliver(chatId, text, replyTo),
      context.logger,
      (request) => context.correct(request),
    );
    this.bot.on("callback_query:data", async (ctx) => {
      if (!(await this.approval.onCallback(ctx.callbackQuery))) await ctx.answerCallbackQuery();
    });
    this.bot.on("message:text", (ctx) => this.onText(ctx));
    // An error in a handler is logged; the bot keeps serving the next updates.
    this.bot.catch((error) => {
      context.logger.error(
        { error: String(error.error), updateId: error.ctx.update.update_id },
        "telegram update handler failed",
      );
    });
  }

  /** Where the webhook server listens (tests post updates there). */
  webhookAddress(): { port: number; host: string } | undefined {
    const address = this.webhookServer?.address() as AddressInfo | null | undefined;
    return address ? { host: address.address, port: address.port } : undefined;
  }

  async start(): Promise<void> {
    const { webhook } = this.context.config;
    if (webhook) return this.startWebhook(webhook);
    // getMe first, alone: inside bot.start() a failed getMe leaves grammY's deleteWebhook retry loop
    // running for ever in the background (its abort controller is dropped without being aborted).
    await this.bot.init(this.stopping.signal as Parameters<Bot["init"]>[0]);
    await new Promise<void>((resolve, reject) => {
      let started = false;
      this.polling = this.bot
        .start({
          onStart: (me) => {
            started = true;
            this.context.logger.info({ bot: `@${me.username}` }, "telegram bot polling");
            resolve();
          },
        })
        .catch((error: unknown) => {
          // Before onStart it is a failed start; after it, polling died (401 revoked token, 409 conflict).
          if (!started) reject(error);
          else if (!this.stopping.signal.aborted) this.context.fail(error);
        });
    });
  }

  private async startWebhook(webhook: NonNullable<TelegramConfig["webhook"]>): Promise<void> {
    await this.bot.init(this.stopping.signal as Parameters<Bot["init"]>[0]);
    const handle = webhookCallback(this.bot, "http", { secretToken: webhook.secret });
    const path = new URL(webhook.url).pathname;
    const server = createServer((req, res) => {
      if (req.method !== "POST" || new URL(req.url ?? "/", "http://x").pathname !== path) {
        res.writeHead(404).end();
        return;
      }
      handle(req, res).catch((error: unknown) => {
        this.context.logger.error({ error: String(error) }, "telegram webhook request failed");
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    this.webhookServer = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(webhook.port, webhook.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    server.on("error", (error) => this.context.fail(error));
    await this.bot.api.setWebhook(webhook.url, { secret_token: webhook.secret });
    this.context.logger.info({ url: webhook.url, ...this.webhookAddress() }, "telegram webhook serving");
  }

  async stop(): Promise<void> {
    this.stopping.abort(new Error("the telegram channel is stopping"));
    if (this.bot.isRunning()) {
      // Confirms the last update offset, so a restart does not answer it twice.
      await this.bot.stop().catch((error: unknown) => {
        this.context.logger.warn({ error: String(error) }, "could not confirm the telegram update offset");
      });
    }
    await this.polling;
    const server = this.webhookServer;
    this.webhookServer = undefined;
    if (server?.listening) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
    await this.queue.idle();
  }

  private async onText(ctx: Context): Promise<void> {
    const message = ctx.message;
    const from = message?.from;
    if (!message?.text || !from || from.is_bot) return;
    const { config, logger } = this.context;
    if (!isAllowedUser(config, from.id)) {
      logger.info(
        { userId: from.id, chatId: message.chat.id },
        "ignored a telegram user not on the allow-list",
      );
      return;
    }
    let text = message.text;
    let replyTo: number | undefined;
    if (message.chat.type === "group" || message.chat.type === "supergroup") {
      const addressing = addressingOf({ ...message, text }, { id: ctx.me.id, username: ctx.me.username });
      if (!addressing.addressed) return;
      text = addressing.text;
      replyTo = message.message_id;
    } else if (message.chat.type !== "private") {
      return;
    }
    if (config.approve && from.id === config.ownerId && message.chat.type === "private") {
      if (await this.approval.onOwnerText(text, message.reply_to_message?.message_id)) return;
    }
    if (!text) return;
    const chatId = message.chat.id;
    const partner = { id: String(from.id), displayName: partnerNameOf(from) };
    // Not awaited: grammY's polling loop would otherwise wait for the whole generation.
    void this.queue
      .run(String(chatId), () => this.answer(chatId, partner, text, replyTo, from.id))
      .catch((error: unknown) => {
        logger.error({ error: String(error), chatId }, "telegram reply failed");
      });
  }

  private async answer(
    chatId: number,
    partner: { id: string; displayName: string },
    text: string,
    replyTo: number | undefined,
    fromId: number,
  ): Promise<void> {
    const signal = AbortSignal.any([this.stopping.signal, this.context.signal]);
    if (signal.aborted) return;
    const stopTyping = keepTyping(() => this.bot.api.sendChatAction(chatId, "typing"));
    let reply: Awaited<ReturnType<PluginContext["chat"]>>;
    try {
      reply = await this.context.chat({ conversationId: String(chatId), partner, text }, { signal });
    } finally {
      stopTyping();
    }
    if (signal.aborted || reply.finishReason === "abort" || !reply.text.trim()) return;
    const { approve, ownerId } = this.context.config;
    // The owner's own chats need no approval from themselves.
    if (approve && fromId !== ownerId) {
      await this.approval.submit({
        chatId,
        partnerName: partner.displayName,
        text: reply.text,
        replyToMessageId: replyTo,
      });
      return;
    }
    await this.deliver(chatId, reply.text, replyTo);
  }

  /** Sends a reply as one message per piece; in groups the first piece quotes the message it answers. */
  private async deliver(chatId: number, text: string, replyTo?: number): Promise<void> {
    const pieces = splitMessage(text, TELEGRAM_MESSAGE_LIMIT);
    for (const [index, piece] of pieces.entries()) {
      await this.bot.api.sendMessage(chatId, piece, {
        ...(index === 0 && replyTo !== undefined
          ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }
          : {}),
      });
    }
  }
}
