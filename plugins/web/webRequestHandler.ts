/** Routes one HTTP request of the web channel after checking who may make it. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ChatPartner, PluginContext } from "@aiclone/plugin-sdk";
import { ApiError, sendApiError } from "./apiError.js";
import { bearerTokenMatches } from "./bearerToken.js";
import {
  handleForget,
  handleHistory,
  handleInfo,
  handleListConversations,
  handleNewConversation,
  handleTurn,
} from "./chatApiRoutes.js";
import { chatPageHtml, FAVICON_SVG } from "./chatPage.js";
import { hostOfHostHeader, isLoopbackHost } from "./loopbackHost.js";
import { handleChatCompletions, handleGetModel, handleListModels } from "./openAiRoutes.js";
import type { WebConfig } from "./webConfig.js";

/** An AbortSignal that fires when the client goes away before its answer is complete, or the plugin stops. */
function requestSignal(res: ServerResponse, stopping: AbortSignal): AbortSignal {
  const gone = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) gone.abort(new Error("the client disconnected"));
  });
  return AbortSignal.any([gone.signal, stopping]);
}

/** Guards against the request; throws an ApiError when it may not be served. */
function authorize(req: IncomingMessage, config: WebConfig, path: string): void {
  if (config.token === undefined) {
    // Loopback without a token: refuse foreign Host names, or a DNS-rebinding page could read the API.
    const host = hostOfHostHeader(req.headers.host ?? "");
    if (!isLoopbackHost(host)) {
      throw new ApiError(403, `Host '${host}' is not a loopback name; configure a token to serve it`, "host");
    }
    return;
  }
  // The page and its icon hold no data; the page asks for the token and sends it with every API call.
  if (path === "/" || path === "/index.html" || path === "/favicon.ico") return;
  if (!bearerTokenMatches(req.headers.authorization, config.token)) {
    throw new ApiError(401, "missing or wrong bearer token", "authorization", "invalid_api_key");
  }
}

export function createWebRequestHandler(
  context: PluginContext<WebConfig>,
  stopping: AbortSignal,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const config = context.config;
  const partner: ChatPartner = { id: "web-owner", displayName: config.partnerName };
  const ctx = context as PluginContext<unknown>;
  const page = chatPageHtml(context.clone.language, context.clone.displayName);

  async function route(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = req.method ?? "GET";
    const signal = () => requestSignal(res, stopping);
    if (method === "GET" && (path === "/" || path === "/index.html")) {
      res.writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-cache",
        "content-security-policy":
          "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:",
        "x-content-type-options": "nosniff",
      });
      res.end(page);
      return;
    }
    if (method === "GET" && path === "/favicon.ico") {
      res.writeHead(200, {
        "content-type": "image/svg+xml",
        "cache-control": "max-age=86400",
        "x-content-type-options": "nosniff",
      });
      res.end(FAVICON_SVG);
      return;
    }
    if (path === "/v1/models" && method === "GET") return handleListModels(ctx, res);
    const model = /^\/v1\/models\/([^/]+)$/.exec(path);
    if (model && method === "GET") return handleGetModel(ctx, res, decodeURIComponent(model[1]!));
    if (path === "/v1/chat/completions" && method === "POST") {
      // authorize() has checked the token when one is set: only then may the documents answer.
      const retrieval = config.token !== undefined;
      return handleChatCompletions(ctx, req, res, signal(), {
        maxBodyBytes: config.maxBodyBytes,
        retrieval,
        streamIntervalMs: config.streamIntervalMs,
      });
    }
    if (path === "/api/info" && method === "GET") return handleInfo(ctx, res);
    if (path === "/api/conversations" && method === "GET") return handleListConversations(ctx, res);
    if (path === "/api/conversations" && method === "POST") return handleNewConversation(res);
    const conversation = /^\/api\/conversations\/([^/]+)(\/messages)?$/.exec(path);
    if (conversation) {
      const id = decodeURIComponent(conversation[1]!);
      if (conversation[2] && method === "GET") return handleHistory(ctx, res, id);
      if (conversation[2] && method === "POST") {
        return handleTurn(ctx, req, res, id, partner, signal(), config.maxBodyBytes, config.streamIntervalMs);
      }
      if (!conversation[2] && method === "DELETE") return handleForget(ctx, res, id);
    }
    throw new ApiError(404, `no route for ${method} ${path}`, null, "not_found");
  }

  return async (req, res) => {
    try {
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      authorize(req, config, path);
      await route(req, res, path);
      // A generation cut short by stop() leaves its answer open; close it rather than hang the client.
      if (!res.writableEnded) {
        if (res.headersSent) res.end();
        else sendApiError(res, new ApiError(503, "the clone is stopping; try again", null, "cancelled"));
      }
    } catch (error) {
      if (error instanceof ApiError) {
        sendApiError(res, error);
        return;
      }
      context.logger.error({ error: String(error), url: req.url }, "web request failed");
      if (!res.headersSent) sendApiError(res, new ApiError(500, "internal error"));
      else res.destroy();
    }
  };
}
