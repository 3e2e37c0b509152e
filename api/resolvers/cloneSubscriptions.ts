import { Arg, Ctx, ID, Resolver, Root, Subscription } from "type-graphql";
import type { ReadModelUpdate } from "../../projections/readModelUpdate.js";
import { type ApiContext, requirePrincipal } from "../context.js";
import { apiError, unauthenticated } from "../errors.js";
import { Clone, CloneEvent } from "../types/cloneTypes.js";
import { toClone, toCloneEvent } from "../types/mappers.js";

interface SubscribeData {
  args: { id?: unknown };
  context: ApiContext;
}

/**
 * Checks ownership before listening, so another owner's clone is NOT_FOUND, and listens before the
 * check returns so no update between check and listen is lost.
 */
async function updatesOf({ args, context }: SubscribeData): Promise<AsyncIterable<ReadModelUpdate>> {
  const principal = requirePrincipal(context);
  const id = String(args.id);
  const queue = context.services.feed.listen(id);
  try {
    await context.services.clones.require(principal, id);
  } catch (error) {
    await queue.return();
    throw error;
  }
  return queue;
}

/** A key revoked while its subscription is open stops receiving at the next update. */
async function assertStillAuthorized(context: ApiContext): Promise<void> {
  const principal = requirePrincipal(context);
  if (!(await context.services.owners.isKeyActive(principal.keyId))) throw unauthenticated();
}

@Resolver()
export class CloneSubscriptions {
  @Subscription(() => Clone, {
    subscribe: updatesOf,
    description: "The clone each time its read model changed (after the change is visible to queries).",
  })
  async cloneUpdated(
    @Arg("id", () => ID) id: string,
    @Root() _update: ReadModelUpdate,
    @Ctx() context: ApiContext,
  ): Promise<Clone> {
    await assertStillAuthorized(context);
    const view = await context.services.clones.view(requirePrincipal(context), id);
    if (!view) throw apiError("NOT_FOUND", `clone ${id} not found`);
    return toClone(view);
  }

  @Subscription(() => CloneEvent, {
    subscribe: updatesOf,
    description: "Each new event of the clone's timeline, once the read model has applied it.",
  })
  async cloneEvents(
    @Arg("id", () => ID) _id: string,
    @Root() update: ReadModelUpdate,
    @Ctx() context: ApiContext,
  ): Promise<CloneEvent> {
    await assertStillAuthorized(context);
    return toCloneEvent(update.event);
  }
}
