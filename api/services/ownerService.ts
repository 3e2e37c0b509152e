import {
  type Actor,
  newId,
  type OwnerCommand,
  ownerDecider,
  ownerStreamId,
  parseOwnerEvent,
  platformStreamId,
  principalOf,
} from "../../domain/index.js";
import type { CommandHandler } from "../../infra/eventsourcing/commandHandler.js";
import { type EventStore, WrongExpectedRevisionError } from "../../infra/eventstore/eventStore.js";
import type { ReadModels } from "../../projections/readModels.js";
import type { ReadModelWaiter } from "../../projections/readModelWaiter.js";
import type { ApiKeyView, OwnerView } from "../../projections/views.js";
import { generateApiKey } from "../auth/apiKeyToken.js";
import type { AuthPrincipal } from "../auth/authenticator.js";
import { apiError } from "../errors.js";
import type { IdempotencyGuard } from "./idempotency.js";

const bootstrapActor: Actor = { kind: "system", name: "bootstrap" };

/** Owners and their API keys. */
export class OwnerService {
  private readonly revocationListeners = new Set<(keyId: string) => void>();

  constructor(
    private readonly store: EventStore,
    private readonly commands: CommandHandler,
    private readonly models: ReadModels,
    private readonly waiter: ReadModelWaiter,
    private readonly idempotency: IdempotencyGuard,
  ) {}

  private async execute(command: OwnerCommand): Promise<void> {
    const streamId = ownerStreamId(command.ownerId);
    const outcome = await this.commands.handle(streamId, ownerDecider, parseOwnerEvent, command, {
      principal: principalOf(command.actor),
    });
    await this.waiter.waitFor(streamId, outcome.revision);
  }

  /**
   * On an empty platform, creates the first owner and returns their key (to print once); null when
   * the platform was already initialised. Concurrent starts race on the `platform-init` stream and
   * exactly one wins; a start that crashed after winning is finished by the next one.
   */
  async bootstrap(ownerName = "owner"): Promise<{ ownerId: string; token: string } | null> {
    let ownerId = newId();
    try {
      await this.store.append(
        platformStreamId,
        [
          {
            id: newId(),
            type: "PlatformInitialized",
            data: { firstOwnerId: ownerId },
            metadata: { principal: principalOf(bootstrapActor), timestamp: new Date().toISOString() },
          },
        ],
        "no_stream",
      );
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      const recorded = await this.firstOwnerOf();
      if (!recorded || (await this.streamExists(ownerStreamId(recorded)))) return null;
      ownerId = recorded;
    }
    return this.createOwner(ownerName, bootstrapActor, ownerId);
  }

  /** A new owner with one key ("initial key"); the token is returned once and never stored. */
  async createOwner(
    name: string,
    actor: Actor,
    ownerId = newId(),
  ): Promise<{ ownerId: string; token: string }> {
    await this.execute({ type: "CreateOwner", ownerId, name, actor });
    const key = generateApiKey();
    await this.execute({
      type: "CreateApiKey",
      ownerId,
      keyId: key.keyId,
      name: "initial key",
      hash: key.hash,
      prefix: key.prefix,
      actor,
    });
    return { ownerId, token: key.token };
  }

  private async firstOwnerOf(): Promise<string | null> {
    for await (const event of this.store.readStream(platformStreamId, { maxCount: 1 })) {
      const data = event.data as { firstOwnerId?: unknown };
      return typeof data.firstOwnerId === "string" ? data.firstOwnerId : null;
    }
    return null;
  }

  private async streamExists(streamId: string): Promise<boolean> {
    for await (const _ of this.store.readStream(streamId, { maxCount: 1 })) return true;
    return false;
  }

  /** Calls `listener` with the key id after each revocation through this service (the API closes its sockets). */
  onKeyRevoked(listener: (keyId: string) => void): () => void {
    this.revocationListeners.add(listener);
    return () => this.revocationListeners.delete(listener);
  }

  async isKeyActive(keyId: string): Promise<boolean> {
    const key = await this.models.apiKeys.get(keyId);
    return key !== null && key.revokedAt === null;
  }

  async me(principal: AuthPrincipal): Promise<{ owner: OwnerView; keys: ApiKeyView[] }> {
    const owner = await this.models.owners.get(principal.ownerId);
    if (!owner) throw apiError("NOT_FOUND", "owner not found");
    const keys = await this.models.apiKeys.find(
      { ownerId: principal.ownerId },
      { sort: { field: "_id", direction: "asc" } },
    );
    return { owner, keys };
  }

  async createApiKey(
    principal: AuthPrincipal,
    name: string,
    idempotencyKey?: string | null,
  ): Promise<{ key: ApiKeyView; token: string }> {
    const key = generateApiKey();
    const { keyId } = await this.idempotency.run(
      principal.ownerId,
      idempotencyKey,
      "createApiKey",
      { name },
      async () => {
        await this.execute({
          type: "CreateApiKey",
          ownerId: principal.ownerId,
          keyId: key.keyId,
          name,
          hash: key.hash,
          prefix: key.prefix,
          actor: { kind: "owner", ownerId: principal.ownerId, keyId: principal.keyId },
        });
        return { keyId: key.keyId };
      },
    );
    // Secrets are never stored, so a repeated request cannot show the first one again.
    if (keyId !== key.keyId)
      throw apiError(
        "CONFLICT",
        `this idempotencyKey already created API key ${keyId}; its secret was shown once`,
      );
    const view = await this.models.apiKeys.get(keyId);
    if (!view) throw new Error(`read model for API key ${keyId} is missing`);
    return { key: view, token: key.token };
  }

  async revokeApiKey(
    principal: AuthPrincipal,
    keyId: string,
    idempotencyKey?: string | null,
  ): Promise<ApiKeyView> {
    const existing = await this.models.apiKeys.get(keyId);
    if (!existing || existing.ownerId !== principal.ownerId)
      throw apiError("NOT_FOUND", `API key ${keyId} not found`);
    await this.idempotency.run(principal.ownerId, idempotencyKey, "revokeApiKey", { keyId }, async () => {
      await this.execute({
        type: "RevokeApiKey",
        ownerId: principal.ownerId,
        keyId,
        actor: { kind: "owner", ownerId: principal.ownerId, keyId: principal.keyId },
      });
      return { keyId };
    });
    const view = await this.models.apiKeys.get(keyId);
    if (!view) throw apiError("NOT_FOUND", `API key ${keyId} not found`);
    for (const listener of this.revocationListeners) listener(keyId);
    return view;
  }
}
