/** Remembered conversations, per channel and conversation, with who the partner is. */
import type { ChatMessage, ChatPartner } from "@aiclone/plugin-sdk";
import type { RuntimeDatabase } from "./runtimeDatabase.js";

export interface ConversationSummary {
  conversationId: string;
  partner: ChatPartner;
  updatedAt: string;
  title: string;
}

const TITLE_LENGTH = 60;

/** The first line of the first message, cut at a word where possible. */
function titleOf(text: string): string {
  const line = text.trim().split("\n")[0] ?? "";
  if (line.length <= TITLE_LENGTH) return line;
  const cut = line.slice(0, TITLE_LENGTH);
  const space = cut.lastIndexOf(" ");
  return `${space > TITLE_LENGTH / 2 ? cut.slice(0, space) : cut}…`;
}

export class ConversationMemory {
  constructor(
    private readonly db: RuntimeDatabase,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Stores one exchange; the assistant's text is absent when nothing was generated (an abort). */
  recordExchange(
    channel: string,
    conversationId: string,
    partner: ChatPartner,
    userText: string,
    assistantText: string | undefined,
  ): void {
    const at = this.now().toISOString();
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO conversations (channel, conversation_id, partner_id, partner_name, title, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (channel, conversation_id) DO UPDATE SET
             partner_id = excluded.partner_id, partner_name = excluded.partner_name, updated_at = excluded.updated_at`,
        )
        .run(channel, conversationId, partner.id, partner.displayName, titleOf(userText), at, at);
      const insert = this.db.prepare(
        "INSERT INTO turns (channel, conversation_id, role, content, created_at) VALUES (?, ?, ?, ?, ?)",
      );
      insert.run(channel, conversationId, "user", userText, at);
      if (assistantText) insert.run(channel, conversationId, "assistant", assistantText, at);
    })();
  }

  /** The newest `limit` turns, oldest first. */
  history(channel: string, conversationId: string, limit = 200): ChatMessage[] {
    const rows = this.db
      .prepare(
        `SELECT role, content FROM turns WHERE channel = ? AND conversation_id = ? ORDER BY id DESC LIMIT ?`,
      )
      .all(channel, conversationId, limit) as { role: "user" | "assistant"; content: string }[];
    return rows.reverse().map((row) => ({ role: row.role, content: row.content }));
  }

  conversations(channel: string): ConversationSummary[] {
    const rows = this.db
      .prepare(
        // Turn ids break ties between updates within one millisecond.
        `SELECT conversation_id, partner_id, partner_name, title, updated_at FROM conversations c
         WHERE channel = ?
         ORDER BY updated_at DESC,
           (SELECT MAX(id) FROM turns t WHERE t.channel = c.channel AND t.conversation_id = c.conversation_id) DESC`,
      )
      .all(channel) as {
      conversation_id: string;
      partner_id: string;
      partner_name: string;
      title: string;
      updated_at: string;
    }[];
    return rows.map((row) => ({
      conversationId: row.conversation_id,
      partner: { id: row.partner_id, displayName: row.partner_name },
      updatedAt: row.updated_at,
      title: row.title,
    }));
  }

  /** Drops the conversation, its turns and the corrections made in it (they quote its turns). */
  forget(channel: string, conversationId: string): void {
    this.db.transaction(() => {
      this.db
        .prepare("DELETE FROM conversations WHERE channel = ? AND conversation_id = ?")
        .run(channel, conversationId);
      this.db
        .prepare("DELETE FROM corrections WHERE channel = ? AND conversation_id = ?")
        .run(channel, conversationId);
    })();
  }
}
