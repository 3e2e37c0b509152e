/**
 * A local stand-in of the Telegram Bot API for end-to-end tests: grammY talks to it through `apiRoot`
 * exactly as to api.telegram.org (`POST <apiRoot>/bot<token>/<method>`, JSON in, `{ok, result}` out).
 * getUpdates long-polls with offsets like the real server; sent messages are recorded.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const BOT = { id: 7_000_001, is_bot: true, first_name: "Анна", username: "anna_clone_bot" };
export const BOT_TOKEN = "7000001:AAFakeTokenForTestsOnly_abcdefghijk";

export interface ApiCall {
  method: string;
  params: Record<string, any>;
}

export interface TgUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
}

type Update = { update_id: number } & Record<string, unknown>;

export class FakeBotApi {
  readonly calls: ApiCall[] = [];
  /** Calls made with a wrong token (answered 401). */
  readonly refused: ApiCall[] = [];
  private server: Server | undefined;
  private readonly updates: Update[] = [];
  private nextUpdateId = 100;
  private nextMessageId = 5000;
  private waiters: (() => void)[] = [];
  /** When set, getUpdates answers with this error code (401: token revoked, 409: another poller). */
  failGetUpdatesWith: number | undefined;

  get url(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
  }

  async stop(): Promise<void> {
    for (const wake of this.waiters.splice(0)) wake();
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }

  /** Ends pending long polls now, with no updates (so a changed failGetUpdatesWith takes effect). */
  wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Queues an update for the next getUpdates; returns its update_id. */
  push(update: Record<string, unknown>): number {
    const update_id = this.nextUpdateId++;
    this.updates.push({ update_id, ...update });
    for (const wake of this.waiters.splice(0)) wake();
    return update_id;
  }

  privateText(from: TgUser, text: string): number {
    return this.push({
      message: this.message({ id: from.id, type: "private", first_name: from.first_name }, from, text),
    });
  }

  groupText(
    chatId: number,
    from: TgUser,
    text: string,
    extra: { entities?: unknown[]; reply_to_message?: unknown } = {},
  ): { updateId: number; messageId: number } {
    const message = {
      ...this.message({ id: chatId, type: "supergroup", title: "Семья" }, from, text),
      ...extra,
    };
    return { updateId: this.push({ message }), messageId: message.message_id };
  }

  callback(from: TgUser, data: string, message?: unknown): number {
    return this.push({
      callback_query: {
        id: `cq${this.nextUpdateId}`,
        from: { ...from, is_bot: false },
        chat_instance: "ci",
        data,
        message,
      },
    });
  }

  sent(chatId?: number): ApiCall[] {
    return this.calls.filter(
      (c) => c.method === "sendMessage" && (chatId === undefined || c.params.chat_id === chatId),
    );
  }

  called(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** The update the bot confirmed last (its getUpdates offset minus one). */
  confirmedUpTo = 0;

  private message(chat: Record<string, unknown>, from: TgUser, text: string) {
    return {
      message_id: this.nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat,
      from: { ...from, is_bot: false },
      text,
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? "");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const reply = (status: number, body: unknown) => {
      if (res.destroyed) return;
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    if (!match) return reply(404, { ok: false, error_code: 404, description: "Not Found" });
    const method = match[2]!;
    const raw = Buffer.concat(chunks).toString("utf8");
    const params = raw ? (JSON.parse(raw) as Record<string, any>) : {};
    if (match[1] !== BOT_TOKEN) {
      this.refused.push({ method, params });
      return reply(401, { ok: false, error_code: 401, description: "Unauthorized" });
    }
    this.calls.push({ method, params });
    const ok = (result: unknown) => reply(200, { ok: true, result });
    switch (method) {
      case "getMe":
        return ok({
          ...BOT,
          can_join_groups: true,
          can_read_all_group_messages: false,
          supports_inline_queries: false,
        });
      case "deleteWebhook":
      case "setWebhook":
      case "sendChatAction":
      case "answerCallbackQuery":
        return ok(true);
      case "getUpdates":
        return this.getUpdates(params, res, reply);
      case "sendMessage":
      case "editMessageText": {
        if (typeof params.text !== "string" || params.text.length === 0 || params.text.length > 4096) {
          return reply(400, {
            ok: false,
            error_code: 400,
            description: "Bad Request: message text is empty or too long",
          });
        }
        const chatId = params.chat_id as number;
        return ok({
          message_id: method === "sendMessage" ? this.nextMessageId++ : params.message_id,
          date: Math.floor(Date.now() / 1000),
          chat:
            chatId > 0
              ? { id: chatId, type: "private", first_name: "x" }
              : { id: chatId, type: "supergroup", title: "Семья" },
          from: BOT,
          text: params.text,
        });
      }
      default:
        return reply(404, {
          ok: false,
          error_code: 404,
          description: `Not Found: method ${method} not found`,
        });
    }
  }

  private async getUpdates(
    params: Record<string, any>,
    res: ServerResponse,
    reply: (status: number, body: unknown) => void,
  ): Promise<void> {
    if (this.failGetUpdatesWith !== undefined) {
      const code = this.failGetUpdatesWith;
      return reply(code, {
        ok: false,
        error_code: code,
        description: code === 401 ? "Unauthorized" : "Conflict",
      });
    }
    const offset = Number(params.offset ?? 0);
    // As Telegram: an offset confirms every update before it, which is then gone for good.
    if (offset > 0) {
      this.confirmedUpTo = Math.max(this.confirmedUpTo, offset - 1);
      while (this.updates.length > 0 && this.updates[0]!.update_id < offset) this.updates.shift();
    }
    const deadline = Date.now() + Number(params.timeout ?? 0) * 1000;
    let gone = false;
    res.once("close", () => {
      gone = true;
      for (const wake of this.waiters.splice(0)) wake();
    });
    while (this.updates.length === 0 && Date.now() < deadline && !gone && this.server?.listening) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const limit = Number(params.limit ?? 100);
    reply(200, { ok: true, result: this.updates.slice(0, limit) });
  }
}
