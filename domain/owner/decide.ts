import type { Actor, Decider } from "../decider.js";
import { conflict, DomainError, invalid, notFound } from "../errors.js";
import { nameText } from "../text.js";
import type { OwnerEvent } from "./events.js";

export type OwnerCommand =
  | { type: "CreateOwner"; ownerId: string; name: string; actor: Actor }
  | {
      type: "CreateApiKey";
      ownerId: string;
      keyId: string;
      name: string;
      hash: string;
      prefix: string;
      actor: Actor;
    }
  | { type: "RevokeApiKey"; ownerId: string; keyId: string; actor: Actor };

export interface OwnerState {
  exists: boolean;
  keys: Map<string, { revoked: boolean }>;
}

export const maxActiveApiKeys = 50;

export const initialOwnerState: OwnerState = { exists: false, keys: new Map() };

export function evolveOwner(state: OwnerState, event: OwnerEvent): OwnerState {
  switch (event.type) {
    case "OwnerCreated":
      return { exists: true, keys: new Map() };
    case "ApiKeyCreated":
      return { ...state, keys: new Map(state.keys).set(event.data.keyId, { revoked: false }) };
    case "ApiKeyRevoked":
      return { ...state, keys: new Map(state.keys).set(event.data.keyId, { revoked: true }) };
  }
}

function requireSelf(command: OwnerCommand): void {
  const actor = command.actor;
  if (actor.kind === "owner" && actor.ownerId !== command.ownerId)
    throw new DomainError("FORBIDDEN", "an owner manages only their own keys");
}

export function decideOwner(command: OwnerCommand, state: OwnerState): OwnerEvent[] {
  if (command.type === "CreateOwner") {
    if (state.exists) throw conflict(`owner ${command.ownerId} already exists`);
    const name = nameText("name", command.name, { min: 1, max: 80 });
    return [{ type: "OwnerCreated", data: { ownerId: command.ownerId, name } }];
  }
  if (!state.exists) throw notFound(`owner ${command.ownerId} does not exist`);
  requireSelf(command);
  switch (command.type) {
    case "CreateApiKey": {
      const name = nameText("name", command.name, { min: 1, max: 80 });
      if (!/^[0-9a-f]{64}$/.test(command.hash)) throw invalid("hash", "must be a sha256 hex digest");
      const active = [...state.keys.values()].filter((k) => !k.revoked).length;
      if (active >= maxActiveApiKeys)
        throw conflict(`at most ${maxActiveApiKeys} active API keys; revoke one first`);
      if (state.keys.has(command.keyId)) throw conflict(`API key ${command.keyId} already exists`);
      const { ownerId, keyId, hash, prefix } = command;
      return [{ type: "ApiKeyCreated", data: { ownerId, keyId, name, hash, prefix } }];
    }
    case "RevokeApiKey": {
      const key = state.keys.get(command.keyId);
      if (!key) throw notFound(`API key ${command.keyId} does not exist`);
      return key.revoked
        ? []
        : [{ type: "ApiKeyRevoked", data: { ownerId: command.ownerId, keyId: command.keyId } }];
    }
  }
}

export const ownerDecider: Decider<OwnerCommand, OwnerEvent, OwnerState> = {
  initialState: initialOwnerState,
  evolve: evolveOwner,
  decide: decideOwner,
};
