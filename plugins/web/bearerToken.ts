import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Whether an Authorization header carries the configured bearer token. Both sides are hashed first so
 * the comparison takes the same time whatever the token's length or the first differing byte.
 */
export function bearerTokenMatches(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? "");
  const given = createHash("sha256")
    .update(match?.[1] ?? "")
    .digest();
  const expected = createHash("sha256").update(token).digest();
  return timingSafeEqual(given, expected) && match !== null;
}
