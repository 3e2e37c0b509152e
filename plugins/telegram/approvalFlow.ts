/**
 * "Approve before sending": each reply goes to the owner as a draft with Send / Edit / Skip buttons and
 * reaches the partner only when the owner says so. The owner edits a draft in either of two ways: Edit, then
 * their next message is the reply; or a Telegram reply to the draft's message, whose text is the reply. An
 * edited reply is recorded as a correction (the draft and the owner's text, through `context.correct()`),
 * so memory holds what was really sent and `aiclone-runtime corrections export` can hand it to the platform.
 * Drafts live in the plugin's storage, so buttons pressed after a restart still work.
 */

import type { CorrectionRequest, PluginLogger } from "@aiclone/plugin-sdk";
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

export const EDIT_HINT = "To send your own words instead: Edit, or reply to this message with them.";

/** The owner's copy: who it is for, then the draft, shortened to fit one message, then a status or the hint. */
export function draftPreview(draft: Draft, status?: string): string {
  const head = `Draft reply to ${draft.partnerName} (chat ${draft.chatId}):\n\n`;
  const tail = `\n\n${status ?? EDIT_HINT}`;
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
    private readonly correct: (request: CorrectionRequest) => Promise<unknown>,
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

  /**
   * The owner's own message: consumed as the replacement when it replies to a draft's message, or when a
   * draft is being edited (after Edit). Anything else is a message to the clone.
   */
  async onOwnerText(text: string, replyToMessageId?: number): Promise<boolean> {
    const draft = await this.editedDraft(replyToMessageId);
    if (!draft || !text.trim()) return false;
    await this.deliver(draft.chatId, text, draft.replyToMessageId);
    await this.drafts.remove(draft.id);
    try {
      await this.correct({ conversationId: String(draft.chatId), draft: draft.text, ownerText: text });
    } catch (error) {
      // The partner has the owner's text already; only the record of the correction is missing.
      this.logger.warn({ error: String(error), draftId: draft.id }, "could not record the correction");
    }
    this.logger.info({ draftId: draft.id, chatId: draft.chatId }, "the owner's edit sent and recorded");
    await this.markOwnerCopy({ ...draft, text }, "✅ Sent your text (kept as a correction)");
    return true;
  }

  /** The draft a reply to its message edits, else the one Edit was pressed on. */
  private async editedDraft(replyToMessageId: number | undefined): Promise<Draft | undefined> {
    if (replyToMessageId !== undefined) {
      for (const id of await this.drafts.pending()) {
        const draft = await this.drafts.get(id);
        if (draft?.ownerMessageId === replyToMessageId) return draft;
      }
    }
    const id = await this.drafts.editing();
    if (id === undefined) return undefined;
    const draft = await this.drafts.get(id);
    if (!draft) await this.drafts.remove(id);
    return draft;
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
