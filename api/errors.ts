import { GraphQLError } from "graphql";
import { DomainError } from "../domain/index.js";
import { ArtifactTooLargeError } from "../infra/blobstore/artifactStore.js";

export type ErrorCode =
  | "BAD_USER_INPUT"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "QUOTA_EXCEEDED"
  | "RATE_LIMITED";

export const apiError = (
  code: ErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
): GraphQLError => new GraphQLError(message, { extensions: { code, ...extra } });

export const unauthenticated = () =>
  apiError("UNAUTHENTICATED", "a valid API key is required: send `Authorization: Bearer <key>`");

const domainCodes: Record<DomainError["code"], ErrorCode> = {
  INVALID: "BAD_USER_INPUT",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  FORBIDDEN: "FORBIDDEN",
};

/** Known failures become coded client errors; anything else is reported as internal, without details. */
export function toClientError(error: unknown): GraphQLError | null {
  if (error instanceof GraphQLError && error.extensions?.code) return error;
  if (error instanceof DomainError)
    return apiError(domainCodes[error.code], error.message, error.field ? { field: error.field } : {});
  if (error instanceof ArtifactTooLargeError)
    return apiError("BAD_USER_INPUT", `file is larger than the limit of ${error.maxBytes} bytes`, {
      field: "file",
    });
  if (isPayloadTooLarge(error))
    return apiError("BAD_USER_INPUT", `file is larger than the upload limit: ${error.message}`, {
      field: "file",
    });
  if (isMalformedUpload(error))
    return apiError(
      "BAD_USER_INPUT",
      `file: the upload is malformed (${error.message}); send one file part with a non-empty file name`,
      { field: "file" },
    );
  return null;
}

/**
 * graphql-upload rejects a file it could not read from the request (a part without a file name arrives as
 * a plain field: "File missing in the request.") with an HTTP 400 whose message is meant for the client.
 */
function isMalformedUpload(error: unknown): error is Error & { status: number } {
  const { status, expose } = (error ?? {}) as { status?: unknown; expose?: unknown };
  return error instanceof Error && status === 400 && expose === true;
}

/** graphql-upload ends a file stream that passes its `maxFileSize` with an HTTP 413 error. */
function isPayloadTooLarge(error: unknown): error is Error & { status: number } {
  return error instanceof Error && (error as { status?: unknown }).status === 413;
}
