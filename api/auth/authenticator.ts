import type { ReadModels } from "../../projections/readModels.js";
import { hashMatches, keyIdOf } from "./apiKeyToken.js";

export interface AuthPrincipal {
  ownerId: string;
  keyId: string;
}

/**
 * Resolves `Authorization: Bearer <key>` (or a bare key) to its owner; null for anything not a live key
 * (unknown, revoked, expired, wrong secret, or an owner that no longer exists). Called for every HTTP
 * request and every operation over graphql-ws, so a revocation takes effect at the next operation.
 */
export class Authenticator {
  constructor(private readonly models: ReadModels) {}

  async authenticate(authorization: string | undefined | null): Promise<AuthPrincipal | null> {
    if (!authorization) return null;
    const token = authorization.replace(/^Bearer\s+/i, "").trim();
    const keyId = keyIdOf(token);
    if (!keyId) return null;
    const key = await this.models.apiKeys.get(keyId);
    if (!key || key.revokedAt !== null || !hashMatches(token, key.hash)) return null;
    // A key with an expiry (none today, but a view may carry one) and a key whose owner is gone are dead too.
    if (typeof key.expiresAt === "string" && Date.parse(key.expiresAt) <= Date.now()) return null;
    if (!(await this.models.owners.get(key.ownerId))) return null;
    return { ownerId: key.ownerId, keyId };
  }
}
