import { ExportReadError, type ExportRecord } from "../../model/conversation.js";
import type { ExportFile, ExportReader } from "../../model/exportSource.js";
import { readJsonTokens, type Token } from "../json/index.js";
import { ExportShapeError, TelegramExportWalker } from "./exportWalker.js";
import { TelegramRecordBuilder } from "./recordBuilder.js";
import { TdesktopEscapeFixer } from "./tdesktopEscapes.js";
import { looksLikeTelegramExport } from "./telegramHead.js";

/**
 * Reads a Telegram Desktop JSON export (`result.json`, single-chat or full-account) as a stream of records.
 *
 * Order: each chat's record comes before its messages. The account record comes where
 * `personal_information` sits in the file: tdesktop writes it before `chats`, but a reader that streams
 * cannot move it forward, so consumers must not rely on it preceding the chats.
 */
export const telegramReader: ExportReader = {
  format: "telegram-json",
  accepts: (file, head) => looksLikeTelegramExport(file.path, head),
  read: readTelegramExport,
};

export async function* readTelegramExport(
  file: ExportFile,
  signal?: AbortSignal,
): AsyncGenerator<ExportRecord> {
  const builder = new TelegramRecordBuilder(file.label);
  const walker = new TelegramExportWalker(builder);
  const options = { signal, filter: () => new TdesktopEscapeFixer(), syntaxErrorAt: "line" } as const;
  let size = 0;
  for await (const batch of readJsonTokens(file, options)) {
    size = batch.byteEnd;
    const where = batch.byteStart === batch.byteEnd ? `byte ${size}` : `bytes ${batch.byteStart}-${size}`;
    walk(walker, batch.tokens, file.label, where);
    yield* drain(builder);
  }
  walk(walker, null, file.label, `byte ${size}`);
  yield* drain(builder);
}

function walk(
  walker: TelegramExportWalker,
  tokens: readonly Token[] | null,
  label: string,
  where: string,
): void {
  try {
    if (tokens === null) walker.end();
    else for (const token of tokens) walker.push(token);
  } catch (error) {
    if (error instanceof ExportShapeError)
      throw new ExportReadError(label, where, error.message, { cause: error });
    throw error;
  }
}

function* drain(builder: TelegramRecordBuilder): Generator<ExportRecord> {
  // Records are handed out chunk by chunk; the queue never holds more than one chunk's worth.
  const records = builder.pending.splice(0);
  yield* records;
}
