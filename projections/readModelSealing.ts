import { personalDataScopeOfClone } from "../domain/clone/personalData.js";
import type { SealedFields, SealingPolicy } from "../infra/docstore/sealedFields.js";
import { erasedContent } from "./cloneView/existenceProjection.js";
import { CLONE_VIEWS, CORRECTIONS } from "./readModels.js";

/**
 * A clone's view keeps in the clear what the API queries, sorts and guards on — its id, owner, status,
 * deletion flag, revision and times — and seals everything else under the clone's key: its name, persona,
 * sources (file names, and the chats and people their inspection found, with counts), datasets (the
 * request's owner and chat lists, stats), training runs (errors, the fidelity report quoting messages),
 * published versions (and which one is current) and install tokens (their names). `erased` is what each reads as after deleteClone.
 */
export const cloneViewFields: SealedFields = {
  plain: ["_rev", "ownerId", "status", "deleted", "createdAt", "updatedAt"],
  scopeOf: personalDataScopeOfClone,
  // What a deleted clone's view reads as: the tombstone's own content, so a rebuild equals the live views.
  erased: erasedContent(),
};

/**
 * A correction document keeps its ids, time and revision in the clear (the list is filtered by clone and
 * sorted by time) and seals the owner's words, the draft, the conversation before it, where and by which
 * adapter it was drafted. Its scope is the clone's key: the id starts with the clone's id.
 */
export const correctionFields: SealedFields = {
  plain: ["cloneId", "correctionId", "at", "_rev"],
  scopeOf: (id) => personalDataScopeOfClone(id.slice(0, id.indexOf("/"))),
  erased: { channel: "", adapterVersion: null, context: [], draft: "", ownerText: "" },
};

/**
 * Which read-model collections are sealed: the clone views, whatever the prefix (live `rm_` or a rebuild's).
 * The other read models hold no clone's personal data: owners and API keys (the platform's own users),
 * install tokens and training runs by id (ids, hashes, times), stream positions.
 */
export const readModelSealing: SealingPolicy = (collection) =>
  collection.endsWith(CLONE_VIEWS)
    ? cloneViewFields
    : collection.endsWith(CORRECTIONS)
      ? correctionFields
      : null;
