/**
 * Local stand-ins of Discord's REST API and gateway on one port, enough for one real discord.js client:
 * REST `GET /api/v10/gateway/bot` points the client at this server's WebSocket; the gateway speaks
 * HELLO (op 10) → IDENTIFY (op 2) → READY + GUILD_CREATE dispatches, answers heartbeats (op 1 → op 11),
 * and dispatches MESSAGE_CREATE on demand. Plain JSON frames (no zlib: discord.js turns compression off
 * when zlib-sync is not installed). Messages and typing posted over REST are recorded.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

export const BOT_USER = {
  id: "900000000000000001",
  username: "anna_clone",
  discriminator: "0",
  global_name: "Анна",
  avatar: null,
  bot: true,
};
export const BOT_TOKEN = "ODk5.fake-discord-token.for-tests-only";
export const GUILD_ID = "800000000000000001";
export const ALLOWED_CHANNEL = "700000000000000001";
export const OTHER_CHANNEL = "700000000000000002";

export interface DiscordUser {
  id: string;
  username: string;
  global_name?: string | null;
}

export interface RestCall {
  method: string;
  path: string;
  body: any;
}

export class FakeDiscord {
  readonly rest: RestCall[] = [];
  readonly identifies: any[] = [];
  readonly heartbeats: number[] = [];
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  private readonly sockets = new Set<WebSocket>();
  private sequence = 0;
  private nextId = 600_000_000_000_000_000n;

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }
  get restApi(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handleRest(req, res));
    this.wss = new WebSocketServer({ server: this.server, path: "/gateway" });
    this.wss.on("connection", (socket) => this.onGateway(socket));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.wss!.close(() => resolve()));
    await new Promise<void>((resolve) => {
      this.server!.close(() => resolve());
      this.server!.closeAllConnections();
    });
  }

  /** Messages the bot posted to a channel, in order. */
  posted(channelId?: string): RestCall[] {
    return this.rest.filter(
      (c) =>
        c.method === "POST" &&
        /\/channels\/\d+\/messages$/.test(c.path) &&
        (!channelId || c.path.includes(`/${channelId}/`)),
    );
  }

  typing(channelId: string): RestCall[] {
    return this.rest.filter((c) => c.method === "POST" && c.path.endsWith(`/channels/${channelId}/typing`));
  }

  /** Dispatches MESSAGE_CREATE: a DM when no guild channel is given. */
  message(
    author: DiscordUser,
    content: string,
    where: { dmChannel: string } | { channel: string; mentionsBot?: boolean },
  ): string {
    const id = String(this.nextId++);
    const base = {
      id,
      type: 0,
      content,
      author: { discriminator: "0", avatar: null, global_name: null, ...author },
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mention_roles: [],
      attachments: [],
      embeds: [],
      pinned: false,
      flags: 0,
    };
    if ("dmChannel" in where) {
      this.dispatch("MESSAGE_CREATE", {
        ...base,
        channel_id: where.dmChannel,
        channel_type: 1,
        mentions: [],
      });
    } else {
      this.dispatch("MESSAGE_CREATE", {
        ...base,
        channel_id: where.channel,
        guild_id: GUILD_ID,
        channel_type: 0,
        member: { roles: [], joined_at: base.timestamp, deaf: false, mute: false, flags: 0 },
        mentions: where.mentionsBot ? [BOT_USER] : [],
      });
    }
    return id;
  }

  private dispatch(t: string, d: unknown): void {
    const frame = JSON.stringify({ op: 0, t, s: ++this.sequence, d });
    for (const socket of this.sockets) socket.send(frame);
  }

  private onGateway(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41250 } }));
    socket.on("message", (raw) => {
      const payload = JSON.parse(raw.toString());
      if (payload.op === 1) {
        this.heartbeats.push(Date.now());
        socket.send(JSON.stringify({ op: 11 }));
      } else if (payload.op === 2) {
        this.identifies.push(payload.d);
        if (payload.d.token !== BOT_TOKEN) {
          socket.close(4004, "Authentication failed.");
          return;
        }
        this.dispatch("READY", {
          v: 10,
          user: BOT_USER,
          guilds: [{ id: GUILD_ID, unavailable: true }],
          session_id: "fake-session",
          resume_gateway_url: `ws://127.0.0.1:${this.port}/gateway`,
          shard: [0, 1],
          application: { id: BOT_USER.id, flags: 0 },
        });
        this.dispatch("GUILD_CREATE", this.guild());
      }
    });
  }

  private guild() {
    const channel = (id: string, name: string, position: number) => ({
      id,
      type: 0,
      guild_id: GUILD_ID,
      name,
      position,
      permission_overwrites: [],
      nsfw: false,
      parent_id: null,
      topic: null,
      last_message_id: null,
      rate_limit_per_user: 0,
    });
    return {
      id: GUILD_ID,
      name: "Семья",
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: "100000000000000001",
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [
        {
          id: GUILD_ID,
          name: "@everyone",
          color: 0,
          hoist: false,
          position: 0,
          permissions: "1024",
          managed: false,
          mentionable: false,
          flags: 0,
        },
      ],
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      preferred_locale: "ru",
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      joined_at: new Date().toISOString(),
      large: false,
      unavailable: false,
      member_count: 3,
      voice_states: [],
      members: [],
      channels: [channel(ALLOWED_CHANNEL, "общий", 0), channel(OTHER_CHANNEL, "флуд", 1)],
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
    };
  }

  private async handleRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const method = req.method ?? "GET";
    const json = (status: number, body?: unknown) => {
      if (body === undefined) return void res.writeHead(status).end();
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bot ${BOT_TOKEN}`)
      return json(401, { message: "401: Unauthorized", code: 0 });
    this.rest.push({ method, path, body: raw ? JSON.parse(raw) : undefined });
    if (method === "GET" && path === "/api/v10/gateway/bot") {
      return json(200, {
        url: `ws://127.0.0.1:${this.port}/gateway`,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
      });
    }
    const typing = /^\/api\/v10\/channels\/(\d+)\/typing$/.exec(path);
    if (method === "POST" && typing) return json(204);
    const messages = /^\/api\/v10\/channels\/(\d+)\/messages$/.exec(path);
    if (method === "POST" && messages) {
      const body = JSON.parse(raw) as { content?: string };
      if (!body.content || body.content.length > 2000) {
        return json(400, {
          message: "Invalid Form Body",
          code: 50035,
          errors: { content: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH" }] } },
        });
      }
      return json(200, {
        id: String(this.nextId++),
        type: 0,
        channel_id: messages[1],
        content: body.content,
        author: BOT_USER,
        timestamp: new Date().toISOString(),
        edited_timestamp: null,
        tts: false,
        mention_everyone: false,
        mentions: [],
        mention_roles: [],
        attachments: [],
        embeds: [],
        pinned: false,
        flags: 0,
      });
    }
    json(404, { message: "404: Not Found", code: 0 });
  }
}
