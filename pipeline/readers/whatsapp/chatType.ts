import type { ChatType, ExportRecord } from "../../model/conversation.js";
import { isGroupEvent } from "./systemNotices.js";

/**
 * Group or personal, decided from the records of the sampled prefix only, because the chat record must precede
 * the messages and we will not hold a whole file: a group if more than two people wrote, or if an authorless
 * system line speaks of group things (created, added, removed, left, "this group"). Group exports almost always
 * open with such a line (WhatsApp writes "created group"/"added you"/"Messages to this group…" first), so a
 * group whose third author appears only after the prefix is still recognised in practice.
 */
export function chatTypeOf(records: readonly ExportRecord[]): ChatType {
  const authors = new Set<string>();
  for (const record of records) {
    if (record.type !== "message") continue;
    const m = record.message;
    if (m.authorId !== null) {
      authors.add(m.authorId);
      if (authors.size > 2) return "group";
    } else if (m.kind === "service" && isGroupEvent(m.text)) {
      return "group";
    }
  }
  return "personal";
}
