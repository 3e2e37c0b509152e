/**
 * "Approve before sending": each reply goes to the owner as a draft with Send / Edit / Skip buttons and
 * reaches the partner only when the owner says so. Edit makes the owner's next message the reply.
 * Drafts live in the plugin's storage, so buttons pressed after a restart still work.
 */

import type { PluginLogger } from "@aiclone/plugin-sdk";
import { type Api, InlineKeyboard } from "grammy";
import { type Draft, DraftStore } from "./draftStore.js";

export const TELEGRAM_MESSAGE_LIMIT = 4096;

export type DraftAction = "send" | "edit" | "skip";

/** `send:<id>` etc.; null for data this flow did not make. */
export function parseDraftCallback(data: string): { action: DraftAction; id: string } | null {
  const match = /^(send|edit|skip):([0-9a-f]{12})$/.exec(data);
  return match ? { action: match[1] as DraftAction, id: match[2]! } : null;
}

export function draftKeyboard(id: string): InlineKeyboard {
  return new InlineKeyboard()
    .text("Send", `send:${id}`)
    .text("Edit", `edit:${id}`)
    .text("Skip", `skip:${id}`);
}

/** The owner's copy: who it is for, then the draft, shortened to fit one message. */
export function draftPreview(draft: Draft, status?: string): string {
  const head = `Draft reply to ${draft.partnerName} (chat ${draft.chatId}):\n\n`;
  const tail = status ? `\n\n${status}` : "";
  const room = TELEGRAM_MESSAGE_LIMIT - head.length - tail.length;
  const body = draft.text.length <= room ? draft.text : `${draft.text.slice(0, room - 1)}…`;
  return head + body + tail;
}

export class ApprovalFlow {
  readonly drafts: DraftStore;

  constructor(
    private readonly api: Api,
    storage: ConstructorParameters<typeof DraftStore>[0],
    private readonly ownerId: number,
    private readonly deliver: (chatId: number, text: string, replyTo?: number) => Promise<void>,
    private readonly logger: PluginLogger,
  ) {
    this.drafts = new DraftStore(storage);
  }

  /** Stores a reply and shows it to the owner (in their private chat with the bot, whose id is theirs). */
  async submit(draft: Omit<Draft, "id" | "createdAt">): Promise<void> {
    const full: Draft = { ...draft, id: this.drafts.newId(), createdAt: new Date().toISOString() };
    await this.drafts.save(full);
    const sent = await this.api.sendMessage(this.ownerId, draftPreview(full), {
      reply_markup: draftKeyboard(full.id),
    });
    await this.drafts.save({ ...full, ownerMessageId: sent.message_id });
    this.logger.info({ draftId: full.id, chatId: full.chatId }, "draft sent to the owner for approval");
  }

  /** A button press; answers the callback query in every case so the owner's client stops spinning. */
  async onCallback(query: { id: string; from: { id: number }; data?: string }): Promise<boolean> {
    const parsed = parseDraftCallback(query.data ?? "");
    if (!parsed) return false;
    if (query.from.id !== this.ownerId) {
      await this.api.answerCallbackQuery(query.id, { text: "Only the owner decides on drafts." });
      return true;
    }
    const draft = await this.drafts.get(parsed.id);
    if (!draft) {
      await this.api.answerCallbackQuery(query.id, { text: "This draft was already decided." });
      return true;
    }
    if (parsed.action === "send") {
      await this.deliver(draft.chatId, draft.text, draft.replyToMessageId);
      await this.drafts.remove(draft.id);
      await this.api.answerCallbackQuery(query.id, { text: "Sent" });
      await this.markOwnerCopy(draft, "✅ Sent");
    } else if (parsed.action === "skip") {
      await this.drafts.remove(draft.id);
      await this.api.answerCallbackQuery(query.id, { text: "Skipped" });
      await this.markOwnerCopy(draft, "⏭ Skipped");
    } else {
      await this.drafts.setEditing(draft.id);
      await this.api.answerCallbackQuery(query.id, { text: "Send me the text to use instead." });
      await this.markOwnerCopy(draft, "✏️ Waiting for your text…", true);
    }
    return true;
  }

  /** The owner's own message: consumed as the replacement when a draft is being edited. */
  async onOwnerText(text: string): Promise<boolean> {
    const id = await this.drafts.editing();
    if (id === undefined) return false;
    const draft = await this.drafts.get(id);
    if (!draft) {
      await this.drafts.remove(id);
      return false;
    }
    await this.deliver(draft.chatId, text, draft.replyToMessageId);
    await this.drafts.remove(draft.id);
    await this.markOwnerCopy({ ...draft, text }, "✅ Sent your text");
    return true;
  }

  private async markOwnerCopy(draft: Draft, status: string, keepButtons = false): Promise<void> {
    if (draft.ownerMessageId === undefined) return;
    try {
      await this.api.editMessageText(this.ownerId, draft.ownerMessageId, draftPreview(draft, status), {
        reply_markup: keepButtons ? draftKeyboard(draft.id) : undefined,
      });
    } catch (error) {
      // The copy may be too old to edit; the decision itself already happened.
      this.logger.warn(
        { error: String(error), draftId: draft.id },
        "could not update the owner's draft copy",
      );
    }
  }
}
