/**
 * The owner's corrections of the clone's drafts, kept in the runtime's SQLite file: recorded through a
 * plugin's `context.correct()` (Telegram's approve mode), exported by `aiclone-runtime corrections export`
 * as the corrections file (correctionFile.ts) the platform accepts.
 */
import { randomUUID } from "node:crypto";
import type { CorrectionRequest, RecordedCorrection } from "@aiclone/plugin-sdk";
import type { RuntimeDatabase } from "../memory/runtimeDatabase.js";
import {
  CORRECTIONS_LIMITS,
  type Correction,
  type CorrectionsFile,
  type CorrectionTurn,
  serializeCorrectionsFile,
} from "./correctionFile.js";

export class CorrectionError extends Error {
  override readonly name = "CorrectionError";
}

/** Longer texts are cut to what the file allows (a Telegram message is at most 4096 characters anyway). */
const fit = (text: string) => text.slice(0, CORRECTIONS_LIMITS.textChars);

interface CorrectionRow {
  id: string;
  channel: string;
  context: string;
  draft: string;
  owner_text: string;
  created_at: string;
}

export class CorrectionStore {
  constructor(
    private readonly db: RuntimeDatabase,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * The newest assistant turn of the conversation that holds the draft becomes the owner's text; the turns
   * before it (at most CORRECTIONS_LIMITS.contextTurns) are the correction's context. A draft that memory
   * no longer holds (a forgotten conversation) is still recorded, without context.
   */
  record(channel: string, request: CorrectionRequest): RecordedCorrection {
    if (typeof request.draft !== "string" || !request.draft.trim())
      throw new CorrectionError("correct: draft must be a non-empty string");
    if (typeof request.ownerText !== "string" || !request.ownerText.trim())
      throw new CorrectionError("correct: ownerText must be a non-empty string");
    const id = randomUUID();
    let replacedInMemory = false;
    this.db.transaction(() => {
      const turn = this.db
        .prepare(
          `SELECT id FROM turns WHERE channel = ? AND conversation_id = ? AND role = 'assistant' AND content = ?
           ORDER BY id DESC LIMIT 1`,
        )
        .get(channel, request.conversationId, request.draft) as { id: number } | undefined;
      let context: CorrectionTurn[] = [];
      if (turn) {
        const rows = this.db
          .prepare(
            `SELECT role, content FROM turns WHERE channel = ? AND conversation_id = ? AND id < ?
             ORDER BY id DESC LIMIT ?`,
          )
          .all(channel, request.conversationId, turn.id, CORRECTIONS_LIMITS.contextTurns) as CorrectionTurn[];
        context = rows.reverse().map((row) => ({ role: row.role, content: fit(row.content) }));
        this.db.prepare("UPDATE turns SET content = ? WHERE id = ?").run(request.ownerText, turn.id);
        replacedInMemory = true;
      }
      this.db
        .prepare(
          `INSERT INTO corrections (id, channel, conversation_id, context, draft, owner_text, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          channel,
          request.conversationId,
          JSON.stringify(context),
          request.draft,
          request.ownerText,
          this.now().toISOString(),
        );
    })();
    return { id, replacedInMemory };
  }

  /** Every correction, oldest first, as the file holds them. */
  list(): Correction[] {
    const rows = this.db
      .prepare("SELECT id, channel, context, draft, owner_text, created_at FROM corrections ORDER BY seq")
      .all() as CorrectionRow[];
    return rows.map((row) => ({
      id: row.id,
      at: row.created_at,
      channel: row.channel,
      context: JSON.parse(row.context) as CorrectionTurn[],
      draft: fit(row.draft.trim()),
      ownerText: fit(row.owner_text.trim()),
    }));
  }
}

/** The corrections file's text for these corrections (the newest ones when there are more than it holds). */
export function correctionsFileOf(
  corrections: Correction[],
  meta: { clone: CorrectionsFile["clone"]; exportedAt: Date },
): string {
  return serializeCorrectionsFile({
    clone: meta.clone,
    exportedAt: meta.exportedAt.toISOString(),
    corrections: corrections.slice(-CORRECTIONS_LIMITS.corrections),
  });
}
