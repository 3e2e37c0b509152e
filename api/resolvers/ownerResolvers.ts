import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { type ApiContext, requirePrincipal } from "../context.js";
import { apiError } from "../errors.js";
import { toApiKey } from "../types/mappers.js";
import { ApiKey, CreatedApiKey, Me } from "../types/ownerTypes.js";
import { idempotencyKeyOptions } from "./idempotencyKeyArg.js";

const MAX_KEY_NAME = 80;

@Resolver()
export class OwnerResolvers {
  @Query(() => Me, { description: "The owner of the API key this request uses." })
  async me(@Ctx() context: ApiContext): Promise<Me> {
    const principal = requirePrincipal(context);
    const { owner, keys } = await context.services.owners.me(principal);
    return {
      id: owner._id,
      name: owner.name,
      createdAt: new Date(owner.createdAt),
      keyId: principal.keyId,
      apiKeys: keys.map(toApiKey),
    };
  }

  @Mutation(() => CreatedApiKey, {
    description: "A new API key for the same owner; its secret is returned once.",
  })
  async createApiKey(
    @Arg("name", () => String) name: string,
    @Arg("idempotencyKey", () => String, idempotencyKeyOptions) idempotencyKey: string | null,
    @Ctx() context: ApiContext,
  ): Promise<CreatedApiKey> {
    const trimmed = name.normalize("NFC").trim();
    if (trimmed.length === 0 || [...trimmed].length > MAX_KEY_NAME)
      throw apiError("BAD_USER_INPUT", `name: must be 1–${MAX_KEY_NAME} characters`, { field: "name" });
    const { key, token } = await context.services.owners.createApiKey(
      requirePrincipal(context),
      trimmed,
      idempotencyKey,
    );
    return { apiKey: toApiKey(key), secret: token };
  }

  @Mutation(() => ApiKey, { description: "Revokes a key at once; requests with it answer UNAUTHENTICATED." })
  async revokeApiKey(
    @Arg("id", () => ID) id: string,
    @Arg("idempotencyKey", () => String, idempotencyKeyOptions) idempotencyKey: string | null,
    @Ctx() context: ApiContext,
  ): Promise<ApiKey> {
    return toApiKey(
      await context.services.owners.revokeApiKey(requirePrincipal(context), id, idempotencyKey),
    );
  }
}
