import type { ChatInfo, ChatType } from "../../model/conversation.js";
import type { ChatHeader } from "./exportWalker.js";

const CHAT_TYPES: Readonly<Record<string, ChatType>> = {
  personal_chat: "personal",
  bot_chat: "bot",
  private_group: "group",
  private_supergroup: "group",
  public_supergroup: "group",
  private_channel: "channel",
  public_channel: "channel",
  saved_messages: "saved",
};

/** tdesktop's chat `type` → our ChatType; `replies`, `verification_codes`, null and new types are "other". */
export function chatTypeOf(telegramType: string | null): ChatType {
  return (
    (telegramType !== null && Object.hasOwn(CHAT_TYPES, telegramType) && CHAT_TYPES[telegramType]) || "other"
  );
}

/** The chat id: tdesktop's numeric peer id; synthetic exports without one get their position (`#2`). */
export function chatIdOf(header: ChatHeader): string {
  return header.id ?? `#${header.ordinal}`;
}

export function chatInfoOf(header: ChatHeader, source: string): ChatInfo {
  return {
    id: chatIdOf(header),
    name: header.name,
    type: chatTypeOf(header.type),
    format: "telegram-json",
    source,
  };
}
