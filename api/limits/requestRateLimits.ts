import type express from "express";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { keyIdOf } from "../auth/apiKeyToken.js";

export interface RateLimits {
  /** GraphQL requests per minute per API key (per client address without a key). */
  requestsPerMinute: number;
  /** Uploads (multipart requests) per hour per API key. */
  uploadsPerHour: number;
}

/**
 * Per-key request and upload rates, refused with HTTP 429, `Retry-After` and a GraphQL error whose code
 * is RATE_LIMITED and whose message names the limit. Counted in this process: behind several API processes
 * each enforces the limit on its share (a shared store would be rate-limiter-flexible's Mongo or Redis one).
 */
export function rateLimitMiddleware(limits: RateLimits): express.RequestHandler {
  const requests = new RateLimiterMemory({ points: limits.requestsPerMinute, duration: 60 });
  const uploads = new RateLimiterMemory({ points: limits.uploadsPerHour, duration: 3600 });
  return (request, response, next) => {
    const token = (request.headers.authorization ?? "").replace(/^Bearer\s+/i, "").trim();
    const keyId = keyIdOf(token);
    const who = keyId ? `key:${keyId}` : `ip:${request.ip ?? request.socket.remoteAddress ?? "?"}`;
    const isUpload = (request.headers["content-type"] ?? "").startsWith("multipart/form-data");
    const checks: [RateLimiterMemory, string][] = [
      [
        requests,
        `${limits.requestsPerMinute} requests per minute per ${keyId ? "API key" : "client without a key"}`,
      ],
      ...(isUpload
        ? [[uploads, `${limits.uploadsPerHour} uploads per hour per API key`] as [RateLimiterMemory, string]]
        : []),
    ];
    (async () => {
      for (const [limiter, what] of checks) {
        try {
          await limiter.consume(who);
        } catch (rejection) {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
          response
            .status(429)
            .set("Retry-After", String(retryAfter))
            .json({
              errors: [
                {
                  message: `rate limit: ${what}; retry in ${retryAfter} s`,
                  extensions: { code: "RATE_LIMITED", retryAfterSeconds: retryAfter },
                },
              ],
            });
          return;
        }
      }
      next();
    })().catch(next);
  };
}
