import type { ExportRecord } from "../../../model/conversation.js";
import type { ExportFile, ExportReader } from "../../../model/exportSource.js";

export async function collect(reader: ExportReader, file: ExportFile): Promise<ExportRecord[]> {
  const out: ExportRecord[] = [];
  for await (const record of reader.read(file)) out.push(record);
  return out;
}
