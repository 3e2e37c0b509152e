import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { newId } from "../../domain/index.js";

/**
 * API keys are `ak_<key id>_<secret>`: the id finds the stored record without scanning, the 256-bit
 * secret makes a fast sha256 safe to store (no password-style stretching needed at this entropy).
 */
export interface NewApiKey {
  keyId: string;
  token: string;
  hash: string;
  prefix: string;
}

export const hashToken = (token: string): string => createHash("sha256").update(token, "utf8").digest("hex");

export function generateApiKey(): NewApiKey {
  const keyId = newId();
  const token = `ak_${keyId.replaceAll("-", "")}_${randomBytes(32).toString("base64url")}`;
  return { keyId, token, hash: hashToken(token), prefix: token.slice(0, 16) };
}

/** The key id inside a well-formed token, or null. */
export function keyIdOf(token: string): string | null {
  const match = /^ak_([0-9a-f]{32})_[A-Za-z0-9_-]{43}$/.exec(token);
  if (!match?.[1]) return null;
  const hex = match[1];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function hashMatches(token: string, storedHash: string): boolean {
  const actual = Buffer.from(hashToken(token), "hex");
  const expected = Buffer.from(storedHash, "hex");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
