import { conflict, DomainError, invalid, notFound } from "../../errors.js";
import { nameText } from "../../text.js";
import { cloneLimits } from "../limits.js";
import { type CommandDeciders, SHA256 } from "./guards.js";

/** Install tokens: created by the owner (only the hash is recorded), bounded in number and lifetime, revoked. */
export const tokensDeciders: CommandDeciders<"CreateInstallToken" | "RevokeInstallToken"> = {
  CreateInstallToken(command, state) {
    if (command.actor.kind !== "owner")
      throw new DomainError("FORBIDDEN", "only the owner creates install tokens");
    const name = nameText("name", command.name, { min: 1, max: cloneLimits.installTokenNameMax });
    if (!SHA256.test(command.hash)) throw invalid("hash", "must be 64 lowercase hex characters");
    const created = Date.parse(command.createdAt);
    const expires = Date.parse(command.expiresAt);
    if (!Number.isFinite(created) || !Number.isFinite(expires))
      throw invalid("expiresAt", "must be an ISO date");
    if (expires <= created) throw invalid("expiresIn", "must be positive");
    if (expires - created > cloneLimits.installTokenMaxSeconds * 1000)
      throw invalid("expiresIn", `must be at most ${cloneLimits.installTokenMaxSeconds} seconds (90 days)`);
    if (state.installTokens.some((t) => t.tokenId === command.tokenId))
      throw conflict(`install token ${command.tokenId} already exists`);
    const active = state.installTokens.filter((t) => !t.revoked && Date.parse(t.expiresAt) > created).length;
    if (active >= cloneLimits.activeInstallTokensMax)
      throw conflict(
        `at most ${cloneLimits.activeInstallTokensMax} active install tokens per clone; revoke one first`,
      );
    return [
      {
        type: "InstallTokenCreated",
        data: {
          cloneId: command.cloneId,
          tokenId: command.tokenId,
          name,
          hash: command.hash,
          prefix: command.prefix,
          expiresAt: new Date(expires).toISOString(),
        },
      },
    ];
  },
  RevokeInstallToken(command, state) {
    const token = state.installTokens.find((t) => t.tokenId === command.tokenId);
    if (!token) throw notFound(`install token ${command.tokenId} does not exist`);
    if (token.revoked) return [];
    return [{ type: "InstallTokenRevoked", data: { cloneId: command.cloneId, tokenId: command.tokenId } }];
  },
};
