import { ChatInfo } from "../model/conversation.js";
import { ChatSkipReason } from "./dropReason.js";
import { matchesAny } from "./nameMatch.js";

/** Which chats and contacts a dataset uses; each entry is an id or a display name. Empty = no filter. */
export interface SelectionLists {
  includeChats: readonly string[];
  excludeChats: readonly string[];
  includeContacts: readonly string[];
  excludeContacts: readonly string[];
}

export const noSelection: SelectionLists = {
  includeChats: [],
  excludeChats: [],
  includeContacts: [],
  excludeContacts: [],
};

/** Personal and bot chats have one peer, so a contact filter applies to the whole chat. */
export function isOneToOne(chat: Pick<ChatInfo, "type">): boolean {
  return chat.type === "personal" || chat.type === "bot";
}

/**
 * Why a chat is skipped before any of its messages is read, or null to use it. Channels are broadcasts
 * and saved messages are notes to self: neither is a dialogue the owner replies in. Bot chats are the
 * owner typing commands, not talking like themselves, unless asked for.
 */
export function chatSkipReason(
  chat: Pick<ChatInfo, "id" | "name" | "type">,
  lists: SelectionLists,
  includeBotChats: boolean,
): ChatSkipReason | null {
  const explicitlyIncluded = matchesAny(lists.includeChats, chat.id, chat.name);
  if (matchesAny(lists.excludeChats, chat.id, chat.name)) return "excludedChat";
  if (lists.includeChats.length > 0 && !explicitlyIncluded) return "notIncludedChat";
  if (chat.type === "channel") return "channel";
  if (chat.type === "saved") return "saved";
  if (chat.type === "bot" && !includeBotChats && !explicitlyIncluded) return "bot";
  if (isOneToOne(chat)) {
    // A one-to-one chat is named after the peer, so a contact named in a list is recognised up front.
    if (matchesAny(lists.excludeContacts, null, chat.name)) return "excludedContact";
  } else if (lists.includeContacts.length > 0 && !explicitlyIncluded) {
    // "Only these people": a group brings in everyone else, so it needs to be asked for by name.
    return "notIncludedContact";
  }
  return null;
}

/** Whether a contact's messages (in a group) or chat (one-to-one) are excluded. */
export function contactSkipReason(
  lists: SelectionLists,
  id: string | null,
  name: string | null,
  oneToOne: boolean,
): ChatSkipReason | null {
  if (matchesAny(lists.excludeContacts, id, name)) return "excludedContact";
  if (oneToOne && lists.includeContacts.length > 0 && !matchesAny(lists.includeContacts, id, name))
    return "notIncludedContact";
  return null;
}
