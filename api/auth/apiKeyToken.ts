import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { newId } from "../../domain/index.js";

/**
 * API keys are `ak_<key id>_<secret>`, install tokens `ait_<token id>_<secret>`: the id finds the stored
 * record without scanning, the 256-bit secret makes a fast sha256 safe to store (no password-style
 * stretching needed at this entropy).
 */
export interface NewApiKey {
  keyId: string;
  token: string;
  hash: string;
  prefix: string;
}

export const hashToken = (token: string): string => createHash("sha256").update(token, "utf8").digest("hex");

type TokenKind = "ak" | "ait";

function generateToken(kind: TokenKind): NewApiKey {
  const keyId = newId();
  const token = `${kind}_${keyId.replaceAll("-", "")}_${randomBytes(32).toString("base64url")}`;
  return { keyId, token, hash: hashToken(token), prefix: token.slice(0, kind.length + 13) };
}

function tokenIdOf(kind: TokenKind, token: string): string | null {
  const match = new RegExp(`^${kind}_([0-9a-f]{32})_[A-Za-z0-9_-]{43}$`).exec(token);
  if (!match?.[1]) return null;
  const hex = match[1];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const generateApiKey = (): NewApiKey => generateToken("ak");
export const generateInstallToken = (): NewApiKey => generateToken("ait");
/** The key id inside a well-formed API key, or null. */
export const keyIdOf = (token: string): string | null => tokenIdOf("ak", token);
/** The token id inside a well-formed install token, or null. */
export const installTokenIdOf = (token: string): string | null => tokenIdOf("ait", token);

export function hashMatches(token: string, storedHash: string): boolean {
  const actual = Buffer.from(hashToken(token), "hex");
  const expected = Buffer.from(storedHash, "hex");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
