import { ChatInfo, ChatMessage, ChatType, ExportFormat } from "../model/conversation.js";

/** A chat as the pipeline counts it: one chat of one source file. */
export interface TrackedChat {
  /** Unique across combined exports: the same chat id can come from two files (two `_chat.txt`). */
  key: string;
  id: string;
  name: string | null;
  type: ChatType;
  /** Null for messages that arrived without a chat record. */
  format: ExportFormat | null;
  source: string | null;
}

/**
 * Maps each message to the chat it belongs to. Readers send a chat record before the chat's messages;
 * a message for another chat id goes to the latest chat with that id, or to a placeholder chat.
 */
export class ChatTracker {
  private readonly byKey = new Map<string, TrackedChat>();
  private readonly latestById = new Map<string, TrackedChat>();
  private current: TrackedChat | null = null;

  /** Registers a chat record; returns the chat and whether it is seen for the first time. */
  onChat(info: ChatInfo): { chat: TrackedChat; isNew: boolean } {
    const key = `${info.source}\u0000${info.id}`;
    let chat = this.byKey.get(key);
    const isNew = chat === undefined;
    if (!chat) {
      chat = { key, id: info.id, name: info.name, type: info.type, format: info.format, source: info.source };
      this.byKey.set(key, chat);
    } else if (info.name) chat.name = info.name;
    this.latestById.set(info.id, chat);
    this.current = chat;
    return { chat, isNew };
  }

  /** The chat of a message; isNew when a placeholder had to be made for it. */
  chatOf(message: ChatMessage): { chat: TrackedChat; isNew: boolean } {
    if (this.current?.id === message.chatId) return { chat: this.current, isNew: false };
    const known = this.latestById.get(message.chatId);
    if (known) {
      this.current = known;
      return { chat: known, isNew: false };
    }
    const key = `\u0000${message.chatId}`;
    const chat: TrackedChat = {
      key,
      id: message.chatId,
      name: null,
      type: "other",
      format: null,
      source: null,
    };
    this.byKey.set(key, chat);
    this.latestById.set(message.chatId, chat);
    this.current = chat;
    return { chat, isNew: true };
  }
}
