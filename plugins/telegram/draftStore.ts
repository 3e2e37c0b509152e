import { randomBytes } from "node:crypto";
import type { PluginStorage } from "@aiclone/plugin-sdk";

/** A reply waiting for the owner's approval; kept in the plugin's storage so a restart keeps it. */
export interface Draft {
  id: string;
  chatId: number;
  partnerName: string;
  text: string;
  /** The message the reply answers (set in groups, where replies quote the message). */
  replyToMessageId?: number;
  /** The owner's copy with the buttons, edited once the draft is decided. */
  ownerMessageId?: number;
  createdAt: string;
}

const DRAFT_PREFIX = "draft:";
const EDITING_KEY = "editing";

export class DraftStore {
  constructor(private readonly storage: PluginStorage) {}

  /** A short id: it travels in callback_data, which Telegram caps at 64 bytes. */
  newId(): string {
    return randomBytes(6).toString("hex");
  }

  get(id: string): Promise<Draft | undefined> {
    return this.storage.get<Draft>(DRAFT_PREFIX + id);
  }

  save(draft: Draft): Promise<void> {
    return this.storage.set(DRAFT_PREFIX + draft.id, draft);
  }

  async remove(id: string): Promise<void> {
    await this.storage.delete(DRAFT_PREFIX + id);
    if ((await this.editing()) === id) await this.storage.delete(EDITING_KEY);
  }

  async pending(): Promise<string[]> {
    return (await this.storage.keys(DRAFT_PREFIX)).map((key) => key.slice(DRAFT_PREFIX.length));
  }

  /** The draft whose replacement text the owner's next message is. */
  async editing(): Promise<string | undefined> {
    return this.storage.get<string>(EDITING_KEY);
  }

  setEditing(id: string): Promise<void> {
    return this.storage.set(EDITING_KEY, id);
  }
}
