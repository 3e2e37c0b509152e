import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import { type GraphQLSchema, specifiedRules, validate } from "graphql";
import graphqlUploadExpress from "graphql-upload/graphqlUploadExpress.mjs";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import type { Authenticator, AuthPrincipal } from "./auth/authenticator.js";
import type { ApiContext, ApiServices } from "./context.js";
import { createErrorFormatter, type ErrorLogger, formatGraphQLErrors } from "./errorFormatting.js";
import { type QueryLimits, queryLimitProtection } from "./limits/queryLimits.js";
import { type RateLimiterFactory, type RateLimits, rateLimitMiddleware } from "./limits/requestRateLimits.js";

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
  /** Per-key request and upload rates on /graphql. */
  rateLimits: RateLimits;
  /** Where the rate counters live; default: this process. */
  rateLimiters?: RateLimiterFactory;
  /** Further HTTP routes on the same port (the dashboard, install endpoints), mounted after /graphql. */
  routes?: ((app: express.Express) => void)[];
}

export interface RunningApiServer {
  url: string;
  graphqlUrl: string;
  httpServer: Server;
  close(): Promise<void>;
}

const GRAPHQL_PATH = "/graphql";

/** GraphQL over HTTP (queries, mutations, multipart uploads) and graphql-ws subscriptions on one port. */
export async function startApiServer(options: ApiServerOptions): Promise<RunningApiServer> {
  const { schema, services, authenticator, logger } = options;
  const app = express();
  app.disable("x-powered-by");
  const httpServer = createServer(app);
  const formatError = createErrorFormatter(logger);
  const protection = queryLimitProtection(options.queryLimits);

  const wsServer = new WebSocketServer({
    server: httpServer,
    path: GRAPHQL_PATH,
    maxPayload: options.requestMaxBytes,
  });
  const wsCleanup = useServer<
    Record<string, unknown>,
    { request: IncomingMessage; principal?: AuthPrincipal | null }
  >(
    {
      schema,
      validate: (s, document) => validate(s, document, [...specifiedRules, ...protection.validationRules]),
      // Browsers cannot set headers on a WebSocket, so the key travels in connection_init's payload.
      onConnect: async (ctx) => {
        const header = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        const fallback = ctx.extra.request.headers.authorization;
        ctx.extra.principal = await authenticator.authenticate(
          typeof header === "string" ? header : fallback,
        );
        return true;
      },
      context: (ctx): ApiContext => ({ principal: ctx.extra.principal ?? null, services }),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: formatGraphQLErrors(formatError, result.errors) } : undefined,
      onError: (_ctx, _id, _payload, errors) => formatGraphQLErrors(formatError, errors),
    },
    wsServer,
  );

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
              await wsCleanup.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.get("/healthz", (_request, response) => {
    const ready = options.isReady();
    response.status(ready ? 200 : 503).json({ status: ready ? "ok" : "starting" });
  });
  app.use(
    GRAPHQL_PATH,
    rateLimitMiddleware(options.rateLimits, options.rateLimiters),
    graphqlUploadExpress({ maxFileSize: options.uploadMaxBytes + 1, maxFiles: 1 }),
    express.json({ limit: options.requestMaxBytes }),
    expressMiddleware(apollo, {
      context: async ({ req }) => ({
        principal: await authenticator.authenticate(req.headers.authorization),
        services,
      }),
    }),
  );
  for (const mount of options.routes ?? []) mount(app);

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(options.port, options.host, () => {
      httpServer.off("error", reject);
      resolve();
    });
  });
  const address = httpServer.address() as AddressInfo;
  const url = `http://${address.address.includes(":") ? `[${address.address}]` : address.address}:${address.port}`;
  logger.info({ url: `${url}${GRAPHQL_PATH}` }, "GraphQL API listening");

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
