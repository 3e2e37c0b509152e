import type { ExportRecord } from "../../model/conversation.js";
import type { ExportFile, ExportReader } from "../../model/exportSource.js";
import { DEFAULT_WALKER_LIMITS, DiscordExportWalker, type WalkerLimits } from "./discordExportWalker.js";
import { looksLikeDiscordExport } from "./discordSniffer.js";
import { jsonTokenBatches } from "./jsonTokenBatches.js";

export interface DiscordReaderLimits extends WalkerLimits {
  maxLexemeBytes: number;
}

/** Streams a DiscordChatExporter JSON file: the chat record first, then its messages in file order. */
export function createDiscordReader(limits: Partial<DiscordReaderLimits> = {}): ExportReader {
  const walkerLimits: WalkerLimits = { ...DEFAULT_WALKER_LIMITS, ...limits };
  return {
    format: "discord-json",
    accepts: looksLikeDiscordExport,
    read: (file, signal) => readDiscordExport(file, walkerLimits, limits.maxLexemeBytes, signal),
  };
}

async function* readDiscordExport(
  file: ExportFile,
  limits: WalkerLimits,
  maxLexemeBytes: number | undefined,
  signal: AbortSignal | undefined,
): AsyncGenerator<ExportRecord> {
  signal?.throwIfAborted();
  const input = await file.open();
  const walker = new DiscordExportWalker(file.label, limits);
  const out: ExportRecord[] = [];
  const options = maxLexemeBytes === undefined ? { signal } : { signal, maxLexemeBytes };
  for await (const batch of jsonTokenBatches(input, file.label, options)) {
    walker.push(batch.tokens, batch.offset, out);
    for (const record of out) yield record;
    out.length = 0;
  }
  walker.finish();
}

export const discordReader: ExportReader = createDiscordReader();
