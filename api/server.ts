import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import { type GraphQLError, type GraphQLSchema, specifiedRules, validate } from "graphql";
import graphqlUploadExpress from "graphql-upload/graphqlUploadExpress.mjs";
import type { Context } from "graphql-ws";
import { type Extra, useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import type { Authenticator, AuthPrincipal } from "./auth/authenticator.js";
import { OpenSockets, socketCloseCodes } from "./auth/openSockets.js";
import type { ApiContext, ApiServices } from "./context.js";
import { createErrorFormatter, type ErrorLogger, formatGraphQLErrors } from "./errorFormatting.js";
import { unauthenticated } from "./errors.js";
import { jsonErrorHandler } from "./http/errorHandler.js";
import { type QueryLimits, queryLimitProtection } from "./limits/queryLimits.js";
import {
  type RateLimiterFactory,
  type RateLimits,
  RequestRateLimiter,
  rateLimitedError,
  rateLimitMiddleware,
} from "./limits/requestRateLimits.js";

export interface ApiLogger extends ErrorLogger {
  info(fields: Record<string, unknown>, message: string): void;
}

export interface ApiServerOptions {
  schema: GraphQLSchema;
  services: ApiServices;
  authenticator: Authenticator;
  logger: ApiLogger;
  host: string;
  port: number;
  /** Largest accepted upload, in bytes. */
  uploadMaxBytes: number;
  /** Largest JSON request body, in bytes. */
  requestMaxBytes: number;
  /** `/healthz` answers 200 only while this says so. */
  isReady: () => boolean;
  /** Depth, cost, alias, directive and token limits of every operation (HTTP and WebSocket). */
  queryLimits: QueryLimits;
  /** Per-key request and upload rates on /graphql (HTTP and WebSocket operations alike). */
  rateLimits: RateLimits;
  /** graphql-ws sockets open at once without a valid API key; more are closed with 4429. */
  anonymousWebSockets: number;
  /** Where the rate counters live; default: this process. */
  rateLimiters?: RateLimiterFactory;
  /**
   * Further HTTP routes on the same port (the dashboard, install endpoints), mounted after /graphql; they
   * get the API's rate limiter (failed authentications spend the address's budget).
   */
  routes?: ((app: express.Express, limiter: RequestRateLimiter) => void)[];
}

export interface RunningApiServer {
  url: string;
  graphqlUrl: string;
  httpServer: Server;
  close(): Promise<void>;
}

const GRAPHQL_PATH = "/graphql";

/** What the HTTP and WebSocket sides share: the error formatter, the query limits and the rate limiter. */
interface ServerParts {
  formatError: ReturnType<typeof createErrorFormatter>;
  protection: ReturnType<typeof queryLimitProtection>;
  limiter: RequestRateLimiter;
}

/** What a graphql-ws socket remembers of its authentication. */
type SocketAuth = {
  principal?: AuthPrincipal | null;
  /** The Authorization value the socket authenticated with, re-checked before every operation. */
  authorization?: string;
};

type SocketContext = Context<Record<string, unknown>, Extra & Partial<SocketAuth>>;

/** GraphQL over HTTP (queries, mutations, multipart uploads) and graphql-ws subscriptions on one port. */
export async function startApiServer(options: ApiServerOptions): Promise<RunningApiServer> {
  const app = express();
  app.disable("x-powered-by");
  const httpServer = createServer(app);
  const parts: ServerParts = {
    formatError: createErrorFormatter(options.logger),
    protection: queryLimitProtection(options.queryLimits),
    limiter: new RequestRateLimiter(options.rateLimits, options.rateLimiters),
  };
  const stopWebSockets = startWebSockets(options, httpServer, parts);
  const apollo = await startApollo(options.schema, httpServer, parts, stopWebSockets);
  mountRoutes(app, options, apollo, parts.limiter);
  const url = await listen(httpServer, options.port, options.host);
  options.logger.info({ url: `${url}${GRAPHQL_PATH}` }, "GraphQL API listening");
  return runningServer(url, httpServer, apollo);
}

/**
 * graphql-ws on the HTTP server's upgrades to /graphql; sockets of a revoked key are closed. Returns what
 * stops both (run when Apollo drains the server).
 */
function startWebSockets(
  options: ApiServerOptions,
  httpServer: Server,
  parts: ServerParts,
): () => Promise<void> {
  const { schema, services, authenticator } = options;
  const { formatError, protection, limiter } = parts;
  const sockets = new OpenSockets(options.anonymousWebSockets);
  // Closed a moment later, so a key revoking itself over its own socket still gets the answer; in between,
  // every operation on the socket re-checks the key and is refused.
  const stopClosingOnRevoke = services.owners.onKeyRevoked((keyId) => {
    setTimeout(() => sockets.closeKey(keyId), 100).unref();
  });

  const wsServer = new WebSocketServer({
    server: httpServer,
    path: GRAPHQL_PATH,
    maxPayload: options.requestMaxBytes,
  });
  const wsCleanup = useServer<Record<string, unknown>, SocketAuth>(
    {
      schema,
      validate: (s, document) => validate(s, document, [...specifiedRules, ...protection.validationRules]),
      onConnect: (ctx) => admitSocket(ctx, authenticator, sockets),
      onSubscribe: (ctx) => recheckOperation(ctx, authenticator, sockets, limiter),
      onClose: (ctx) => sockets.forget(ctx.extra.socket),
      context: (ctx): ApiContext => ({ principal: ctx.extra.principal ?? null, services }),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: formatGraphQLErrors(formatError, result.errors) } : undefined,
      onError: (_ctx, _id, _payload, errors) => formatGraphQLErrors(formatError, errors),
    },
    wsServer,
  );
  return async () => {
    stopClosingOnRevoke();
    await wsCleanup.dispose();
  };
}

/**
 * A socket's key, from connection_init's payload (browsers cannot set headers on a WebSocket) or the upgrade
 * request; past the cap on sockets without a valid key it is closed with 4429.
 */
async function admitSocket(
  ctx: SocketContext,
  authenticator: Authenticator,
  sockets: OpenSockets,
): Promise<boolean> {
  const header = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
  const fallback = ctx.extra.request.headers.authorization;
  const authorization = typeof header === "string" ? header : fallback;
  const principal = await authenticator.authenticate(authorization);
  ctx.extra.principal = principal;
  if (principal && authorization) ctx.extra.authorization = authorization;
  if (!sockets.admit(ctx.extra.socket, principal?.keyId ?? null)) {
    ctx.extra.socket.close(socketCloseCodes.tooManyAnonymous, "too many connections without an API key");
    return false;
  }
  return true;
}

/** Every query, mutation and subscription: the key again (revoked, expired, owner gone), then the rate. */
async function recheckOperation(
  ctx: SocketContext,
  authenticator: Authenticator,
  sockets: OpenSockets,
  limiter: RequestRateLimiter,
): Promise<readonly GraphQLError[] | undefined> {
  const { extra } = ctx;
  if (extra.principal) {
    const now = await authenticator.authenticate(extra.authorization);
    if (!now || now.keyId !== extra.principal.keyId) {
      extra.principal = null;
      sockets.forget(extra.socket);
      extra.socket.close(socketCloseCodes.keyRevoked, "the API key is no longer valid");
      return [unauthenticated()];
    }
    extra.principal = now;
  }
  const refusal = await limiter.consume(
    extra.principal
      ? { keyId: extra.principal.keyId }
      : { address: extra.request.socket.remoteAddress ?? "?" },
  );
  return refusal ? [rateLimitedError(refusal)] : undefined;
}

/** Apollo, started; draining it drains the HTTP server and stops the WebSocket side. */
async function startApollo(
  schema: GraphQLSchema,
  httpServer: Server,
  { formatError, protection }: ServerParts,
  stopWebSockets: () => Promise<void>,
): Promise<ApolloServer<ApiContext>> {
  const apollo = new ApolloServer<ApiContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    // Multipart uploads must send `Apollo-Require-Preflight: true` (or any non-simple header), as CSRF guard.
    csrfPrevention: true,
    introspection: true,
    // The CLI owns SIGINT/SIGTERM and stops every component in order; Apollo would re-raise the signal.
    stopOnTerminationSignals: false,
    validationRules: protection.validationRules,
    plugins: [
      // graphql-armor types its plugins for Apollo's base context; they do not read the context.
      ...(protection.plugins as ApolloServerPlugin<ApiContext>[]),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await stopWebSockets();
            },
          };
        },
      },
    ],
  });
  await apollo.start();
  return apollo;
}

/** /healthz, /graphql (rate limit, uploads, JSON, Apollo), the further routes, then the JSON error handler. */
function mountRoutes(
  app: express.Express,
  options: ApiServerOptions,
  apollo: ApolloServer<ApiContext>,
  limiter: RequestRateLimiter,
): void {
  const { authenticator, services } = options;
  app.get("/healthz", (_request, response) => {
    const ready = options.isReady();
    response.status(ready ? 200 : 503).json({ status: ready ? "ok" : "starting" });
  });
  app.use(
    GRAPHQL_PATH,
    rateLimitMiddleware(limiter, authenticator),
    graphqlUploadExpress({ maxFileSize: options.uploadMaxBytes + 1, maxFiles: 1 }),
    express.json({ limit: options.requestMaxBytes }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => ({
        principal:
          res.locals.principal !== undefined
            ? (res.locals.principal as AuthPrincipal | null)
            : await authenticator.authenticate(req.headers.authorization),
        services,
      }),
    }),
  );
  for (const mount of options.routes ?? []) mount(app, limiter);
  app.use(jsonErrorHandler(options.logger));
}

/** Listens on host:port; the server's URL (an IPv6 address in brackets). */
async function listen(httpServer: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(port, host, () => {
      httpServer.off("error", reject);
      resolve();
    });
  });
  const address = httpServer.address() as AddressInfo;
  return `http://${address.address.includes(":") ? `[${address.address}]` : address.address}:${address.port}`;
}

/** close() stops Apollo (which drains HTTP and the WebSockets), then idle keep-alives; once. */
function runningServer(url: string, httpServer: Server, apollo: ApolloServer<ApiContext>): RunningApiServer {
  let closing: Promise<void> | undefined;
  return {
    url,
    graphqlUrl: `${url}${GRAPHQL_PATH}`,
    httpServer,
    close: () => {
      closing ??= (async () => {
        await apollo.stop();
        // Apollo's drain stops new requests and waits for running ones; close what is left (idle keep-alives).
        httpServer.closeAllConnections();
      })();
      return closing;
    },
  };
}
