import type { ChatInfo, ChatMessage, ExportRecord, SkippedInput } from "../../../model/conversation.js";
import type { ExportFile } from "../../../model/exportSource.js";
import { WhatsAppReader } from "../whatsappReader.js";

export interface ReadResult {
  records: ExportRecord[];
  chat: ChatInfo;
  messages: ChatMessage[];
  skipped: SkippedInput[];
}

export async function readFile(file: ExportFile, reader = new WhatsAppReader()): Promise<ReadResult> {
  const records: ExportRecord[] = [];
  for await (const r of reader.read(file)) records.push(r);
  const first = records[0];
  const chats = records.filter((r) => r.type === "chat").length;
  if (first?.type !== "chat" || chats !== 1) throw new Error("expected exactly one chat record, first");
  return {
    records,
    chat: first.chat,
    messages: records.flatMap((r) => (r.type === "message" ? [r.message] : [])),
    skipped: records.flatMap((r) => (r.type === "skipped" ? [r.skipped] : [])),
  };
}
