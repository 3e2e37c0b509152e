import type express from "express";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { keyIdOf } from "../auth/apiKeyToken.js";

export interface RateLimits {
  /** GraphQL requests per minute per API key (per client address without a key). */
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

/**
 * Per-key request and upload rates, refused with HTTP 429, `Retry-After` and a GraphQL error whose code
 * is RATE_LIMITED and whose message names the limit.
 */
export function rateLimitMiddleware(
  limits: RateLimits,
  limiters: RateLimiterFactory = inProcessRateLimiters,
): express.RequestHandler {
  const requests = limiters("requests", limits.requestsPerMinute, 60);
  const uploads = limiters("uploads", limits.uploadsPerHour, 3600);
  return (request, response, next) => {
    const token = (request.headers.authorization ?? "").replace(/^Bearer\s+/i, "").trim();
    const keyId = keyIdOf(token);
    const who = keyId ? `key:${keyId}` : `ip:${request.ip ?? request.socket.remoteAddress ?? "?"}`;
    const isUpload = (request.headers["content-type"] ?? "").startsWith("multipart/form-data");
    const checks: [RateLimiterAbstract, string][] = [
      [
        requests,
        `${limits.requestsPerMinute} requests per minute per ${keyId ? "API key" : "client without a key"}`,
      ],
      ...(isUpload
        ? [
            [uploads, `${limits.uploadsPerHour} uploads per hour per API key`] as [
              RateLimiterAbstract,
              string,
            ],
          ]
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
