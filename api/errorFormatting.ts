import { unwrapResolverError } from "@apollo/server/errors";
import type { GraphQLError, GraphQLFormattedError } from "graphql";
import { toClientError } from "./errors.js";
import { queryLimitCode } from "./limits/queryLimits.js";

export interface ErrorLogger {
  error(fields: Record<string, unknown>, message: string): void;
}

/** Apollo's own codes for requests it refuses before our resolvers run: passed through as they are. */
const PROTOCOL_CODES = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
]);

/**
 * One formatter for HTTP and WebSocket responses: coded errors keep their message and code; anything
 * unexpected becomes a generic INTERNAL_SERVER_ERROR (logged here with its stack, never sent).
 */
export function createErrorFormatter(logger: ErrorLogger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const limit = queryLimitCode(formatted.message);
    if (limit) {
      // graphql-armor words its refusals as syntax errors; the code says which limit, the message its value.
      return { message: formatted.message.replace(/^Syntax Error: /, ""), extensions: { code: limit } };
    }
    const original = unwrapResolverError(error);
    const client = toClientError(original);
    if (client) {
      return {
        message: client.message,
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { ...client.extensions },
      };
    }
    const code = formatted.extensions?.code;
    if (typeof code === "string" && PROTOCOL_CODES.has(code) && original === error) {
      const { stacktrace: _dropped, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    logger.error({ err: original, path: formatted.path }, "unexpected error in a GraphQL operation");
    return {
      message: "internal error",
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    };
  };
}

/** Formats raw graphql-js errors (WebSocket path, where Apollo's formatError does not run). */
export function formatGraphQLErrors(
  format: ReturnType<typeof createErrorFormatter>,
  errors: readonly GraphQLError[],
): GraphQLFormattedError[] {
  return errors.map((error) => {
    const formatted = error.toJSON();
    // graphql-js validation errors have no code; give them the one Apollo gives over HTTP.
    const extensions = error.originalError
      ? formatted.extensions
      : { code: "GRAPHQL_VALIDATION_FAILED", ...formatted.extensions };
    return format({ ...formatted, ...(extensions ? { extensions } : {}) }, error);
  });
}
