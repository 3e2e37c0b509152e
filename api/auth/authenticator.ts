import type { ReadModels } from "../../projections/readModels.js";
import { hashMatches, keyIdOf } from "./apiKeyToken.js";

export interface AuthPrincipal {
  ownerId: string;
  keyId: string;
}

/** Resolves `Authorization: Bearer <key>` (or a bare key) to its owner; null for anything not a live key. */
export class Authenticator {
  constructor(private readonly models: ReadModels) {}

  async authenticate(authorization: string | undefined | null): Promise<AuthPrincipal | null> {
    if (!authorization) return null;
    const token = authorization.replace(/^Bearer\s+/i, "").trim();
    const keyId = keyIdOf(token);
    if (!keyId) return null;
    const key = await this.models.apiKeys.get(keyId);
    if (!key || key.revokedAt !== null || !hashMatches(token, key.hash)) return null;
    return { ownerId: key.ownerId, keyId };
  }
}
