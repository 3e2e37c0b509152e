import type express from "express";

export interface HttpErrorLogger {
  error(fields: Record<string, unknown>, message: string): void;
}

/** The code and generic message each status gets; the error's own message is never sent (it may hold paths). */
const answers: Record<number, [code: string, message: string]> = {
  400: ["BAD_REQUEST", "the request is malformed"],
  401: ["UNAUTHENTICATED", "authentication is required"],
  403: ["FORBIDDEN", "this path is not allowed"],
  404: ["NOT_FOUND", "not found"],
  405: ["METHOD_NOT_ALLOWED", "method not allowed"],
  413: ["PAYLOAD_TOO_LARGE", "the request is too large (body size or number of files)"],
  415: ["UNSUPPORTED_MEDIA_TYPE", "unsupported content type"],
  416: ["RANGE_NOT_SATISFIABLE", "the requested range is not satisfiable"],
};

/** The HTTP status an error carries (body-parser, graphql-upload, serve-static set `status`), else 500. */
function statusOf(error: unknown): number {
  const { status, statusCode } = (error ?? {}) as { status?: unknown; statusCode?: unknown };
  const value = typeof status === "number" ? status : statusCode;
  return typeof value === "number" && Number.isInteger(value) && value >= 400 && value <= 599 ? value : 500;
}

/**
 * The last handler of the app: any error a middleware passed on (a malformed or oversized body, a bad
 * multipart request, a path static files refuse) answers JSON `{error: {code, message}}` with a generic
 * message: never Express's HTML page, a stack or a path. Server errors are logged with their stack here.
 */
export function jsonErrorHandler(logger: HttpErrorLogger): express.ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    if (response.headersSent) {
      // Too late for a status: let Express end the connection.
      next(error);
      return;
    }
    const status = statusOf(error);
    const [code, message] =
      answers[status] ??
      (status >= 500 ? ["INTERNAL_SERVER_ERROR", "internal error"] : ["BAD_REQUEST", "the request failed"]);
    if (status >= 500)
      logger.error({ err: error, path: request.path }, "unexpected error in an HTTP request");
    response.status(status).set("Cache-Control", "no-store").json({ error: { code, message } });
  };
}
