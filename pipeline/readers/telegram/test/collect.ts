import type { ChatMessage, ExportRecord } from "../../../model/conversation.js";
import type { ExportFile } from "../../../model/exportSource.js";
import { readTelegramExport } from "../telegramReader.js";

export async function readAll(file: ExportFile): Promise<ExportRecord[]> {
  const records: ExportRecord[] = [];
  for await (const record of readTelegramExport(file)) records.push(record);
  return records;
}

export function messagesOf(records: readonly ExportRecord[]): ChatMessage[] {
  return records.flatMap((r) => (r.type === "message" ? [r.message] : []));
}

/** Per chat id: messages read plus messages skipped (a skip names its chat in `where`). */
export function countsPerChat(
  records: readonly ExportRecord[],
): Map<string, { messages: number; skipped: number }> {
  const counts = new Map<string, { messages: number; skipped: number }>();
  let current: string | null = null;
  for (const record of records) {
    if (record.type === "chat") {
      current = record.chat.id;
      counts.set(current, { messages: 0, skipped: 0 });
    } else if (record.type === "message") {
      const entry = counts.get(record.message.chatId);
      if (entry) entry.messages++;
    } else if (record.type === "skipped" && current !== null && record.skipped.where.includes(" message ")) {
      const entry = counts.get(current);
      if (entry) entry.skipped++;
    }
  }
  return counts;
}
