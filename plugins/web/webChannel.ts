import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ChannelPlugin, PluginContext } from "@aiclone/plugin-sdk";
import { isLoopbackHost } from "./loopbackHost.js";
import type { WebConfig } from "./webConfig.js";
import { createWebRequestHandler } from "./webRequestHandler.js";

/** The web channel: one HTTP server for the chat page, its JSON API and the OpenAI-compatible API. */
export class WebChannel implements ChannelPlugin {
  private server: Server | undefined;
  private readonly stopping = new AbortController();
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly context: PluginContext<WebConfig>) {}

  /** The bound address (the real port when the config asked for port 0). */
  address(): { host: string; port: number; url: string } {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error("the web channel is not listening");
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    return { host: address.address, port: address.port, url: `http://${host}:${address.port}` };
  }

  async start(): Promise<void> {
    const { host, port, token } = this.context.config;
    // The config schema already refuses this; kept so a host that skipped validation cannot expose it.
    if (!isLoopbackHost(host) && token === undefined) {
      throw new Error(`web: config.token is required to listen on '${host}', which is not loopback`);
    }
    const signal = AbortSignal.any([this.stopping.signal, this.context.signal]);
    const handle = createWebRequestHandler(this.context, signal);
    const server = createServer((req, res) => {
      const handled = handle(req, res);
      this.inflight.add(handled);
      void handled.finally(() => this.inflight.delete(handled));
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    // A server error after start (rare: the socket itself failing) is fatal for this plugin.
    server.on("error", (error) => this.context.fail(error));
    this.context.logger.info(
      { url: this.address().url, auth: token === undefined ? "loopback only" : "bearer token" },
      "web chat and OpenAI-compatible API listening",
    );
  }

  async stop(): Promise<void> {
    this.stopping.abort(new Error("the web channel is stopping"));
    const server = this.server;
    this.server = undefined;
    if (!server?.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Generations in flight were aborted above and end their answers; then every socket is idle
    // keep-alive, which would hold close() open.
    const grace = new Promise((resolve) => setTimeout(resolve, 1000).unref());
    await Promise.race([Promise.allSettled([...this.inflight]), grace]);
    server.closeAllConnections();
    await closed;
  }
}
