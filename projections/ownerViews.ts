import type { OwnerEvent } from "../domain/index.js";
import type { EventContext } from "./cloneView.js";
import type { ApiKeyView, OwnerView } from "./views.js";

/** Owner and API-key read models; key revocation needs the stored key, so it is expressed as a patch. */
export function applyOwnerEvent(
  event: OwnerEvent,
  context: EventContext,
  existingKey: ApiKeyView | null,
): { owner?: OwnerView; apiKey?: ApiKeyView } {
  switch (event.type) {
    case "OwnerCreated":
      return {
        owner: {
          _id: event.data.ownerId,
          _rev: context.revision,
          name: event.data.name,
          createdAt: context.timestamp,
        },
      };
    case "ApiKeyCreated": {
      const d = event.data;
      return {
        apiKey: {
          _id: d.keyId,
          _rev: context.revision,
          ownerId: d.ownerId,
          name: d.name,
          hash: d.hash,
          prefix: d.prefix,
          createdAt: context.timestamp,
          revokedAt: null,
        },
      };
    }
    case "ApiKeyRevoked":
      return existingKey
        ? { apiKey: { ...existingKey, _rev: context.revision, revokedAt: context.timestamp } }
        : {};
  }
}
