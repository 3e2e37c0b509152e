import type { ExportRecord } from "../../model/conversation.js";
import type { ExportFile, ExportReader } from "../../model/exportSource.js";
import { JSON_LIMITS, readJsonTokens } from "../json/index.js";
import { DEFAULT_WALKER_LIMITS, DiscordExportWalker, type WalkerLimits } from "./discordExportWalker.js";
import { looksLikeDiscordExport } from "./discordSniffer.js";

export interface DiscordReaderLimits extends WalkerLimits {
  /** Bytes of the file one key, string or number may span; JSON_LIMITS.maxValueBytes by default. */
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
  const walker = new DiscordExportWalker(file.label, limits);
  const out: ExportRecord[] = [];
  const options = {
    signal,
    syntaxErrorAt: "byte",
    maxValueBytes: maxLexemeBytes ?? JSON_LIMITS.maxValueBytes,
  } as const;
  for await (const batch of readJsonTokens(file, options)) {
    walker.push(batch.tokens, batch.byteEnd, out);
    for (const record of out) yield record;
    out.length = 0;
  }
  walker.finish();
}

export const discordReader: ExportReader = createDiscordReader();
