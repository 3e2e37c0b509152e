import type express from "express";
import { GraphQLError } from "graphql";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { Authenticator } from "../auth/authenticator.js";

export interface RateLimits {
  /** GraphQL operations per minute per API key (per client address without a valid key), HTTP and WebSocket. */
  requestsPerMinute: number;
  /** Uploads (multipart requests) per hour per API key. */
  uploadsPerHour: number;
}

/**
 * Makes the counter of one limit (`name`: points per `duration` seconds). The default counts in this process;
 * the composition root passes a shared store (MongoDB) when several API processes serve one platform.
 */
export type RateLimiterFactory = (name: string, points: number, duration: number) => RateLimiterAbstract;

export const inProcessRateLimiters: RateLimiterFactory = (_name, points, duration) =>
  new RateLimiterMemory({ points, duration });

/** Whose budget a request spends: a verified key's, or (no valid key) its client address's. */
export type RateSubject = { keyId: string } | { address: string };

export interface RateRefusal {
  /** `rate limit: <which limit>; retry in <n> s` */
  message: string;
  retryAfterSeconds: number;
}

const bucketOf = (subject: RateSubject): string =>
  "keyId" in subject ? `key:${subject.keyId}` : `ip:${subject.address}`;

/**
 * The request and upload counters of the API, shared by every way in: GraphQL over HTTP, operations over
 * graphql-ws, and failed authentications on the download routes. The bucket is chosen only after the key
 * was verified, so a forged, revoked or unknown key spends its address's budget, never a fresh one.
 */
export class RequestRateLimiter {
  private readonly requests: RateLimiterAbstract;
  private readonly uploads: RateLimiterAbstract;

  constructor(
    private readonly limits: RateLimits,
    limiters: RateLimiterFactory = inProcessRateLimiters,
  ) {
    this.requests = limiters("requests", limits.requestsPerMinute, 60);
    this.uploads = limiters("uploads", limits.uploadsPerHour, 3600);
  }

  /** Spends one request (and one upload) of the subject's budget; the refusal when it is spent. */
  async consume(subject: RateSubject, upload = false): Promise<RateRefusal | null> {
    const keyed = "keyId" in subject;
    const checks: [RateLimiterAbstract, string][] = [
      [
        this.requests,
        `${this.limits.requestsPerMinute} requests per minute per ${keyed ? "API key" : "client without a valid key"}`,
      ],
    ];
    if (upload) checks.push([this.uploads, `${this.limits.uploadsPerHour} uploads per hour per API key`]);
    for (const [limiter, what] of checks) {
      try {
        await limiter.consume(bucketOf(subject));
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        return { message: `rate limit: ${what}; retry in ${retryAfterSeconds} s`, retryAfterSeconds };
      }
    }
    return null;
  }

  /** The refusal an address's spent budget gets, without spending more (to refuse before checking a token). */
  async blocked(address: string): Promise<RateRefusal | null> {
    const state = await this.requests.get(bucketOf({ address }));
    if (!state || state.remainingPoints > 0) return null;
    const retryAfterSeconds = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
    return {
      message: `rate limit: ${this.limits.requestsPerMinute} requests per minute per client without a valid key; retry in ${retryAfterSeconds} s`,
      retryAfterSeconds,
    };
  }
}

/** The error a refused GraphQL operation gets (HTTP body and WebSocket error message alike). */
export const rateLimitedError = (refusal: RateRefusal): GraphQLError =>
  new GraphQLError(refusal.message, {
    extensions: { code: "RATE_LIMITED", retryAfterSeconds: refusal.retryAfterSeconds },
  });

/** The client address Express sees (the socket's, unless `trust proxy` says otherwise). */
export const addressOf = (request: express.Request): string =>
  request.ip ?? request.socket.remoteAddress ?? "?";

/**
 * Per-key request and upload rates on /graphql, refused with HTTP 429, `Retry-After` and a GraphQL error
 * whose code is RATE_LIMITED and whose message names the limit.
 */
export function rateLimitMiddleware(
  limiter: RequestRateLimiter,
  authenticator: Authenticator,
): express.RequestHandler {
  return (request, response, next) => {
    (async () => {
      const principal = await authenticator.authenticate(request.headers.authorization);
      // The GraphQL context uses this verdict instead of looking the key up again.
      response.locals.principal = principal;
      const isUpload = (request.headers["content-type"] ?? "").startsWith("multipart/form-data");
      const refusal = await limiter.consume(
        principal ? { keyId: principal.keyId } : { address: addressOf(request) },
        isUpload,
      );
      if (!refusal) return next();
      response
        .status(429)
        .set("Retry-After", String(refusal.retryAfterSeconds))
        .json({ errors: [rateLimitedError(refusal).toJSON()] });
    })().catch(next);
  };
}
