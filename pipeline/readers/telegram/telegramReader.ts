import { ExportReadError, type ExportRecord } from "../../model/conversation.js";
import type { ExportFile, ExportReader } from "../../model/exportSource.js";
import { decodeExportText, messageOf } from "./exportText.js";
import { ExportShapeError, TelegramExportWalker } from "./exportWalker.js";
import { createJsonTokenizer } from "./jsonTokenizer.js";
import { TelegramRecordBuilder } from "./recordBuilder.js";
import { locateSyntaxError } from "./syntaxErrorPosition.js";
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
  const tokenizer = createJsonTokenizer();
  const stream = await file.open();
  let size = 0;
  try {
    for await (const chunk of decodeExportText(stream, file.label, signal)) {
      size = chunk.byteEnd;
      let tokens: ReturnType<typeof tokenizer.write>;
      try {
        tokens = tokenizer.write(chunk.text);
      } catch (error) {
        const where =
          (await locateSyntaxError(file, chunk.byteEnd, signal)) ??
          `bytes ${chunk.byteStart}-${chunk.byteEnd}`;
        throw new ExportReadError(file.label, where, `not valid JSON: ${parserMessage(error)}`, {
          cause: error,
        });
      }
      walk(walker, tokens, file.label, `bytes ${chunk.byteStart}-${chunk.byteEnd}`);
      yield* drain(builder);
    }
    let tail: ReturnType<typeof tokenizer.end>;
    try {
      tail = tokenizer.end();
    } catch (error) {
      throw new ExportReadError(
        file.label,
        `byte ${size}`,
        `the file ends before the JSON does (truncated?): ${parserMessage(error)}`,
        {
          cause: error,
        },
      );
    }
    walk(walker, tail, file.label, `byte ${size}`);
    walk(walker, null, file.label, `byte ${size}`);
    yield* drain(builder);
  } finally {
    stream.destroy();
  }
}

function walk(
  walker: TelegramExportWalker,
  tokens: ReturnType<ReturnType<typeof createJsonTokenizer>["write"]> | null,
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

function parserMessage(error: unknown): string {
  return messageOf(error).replace(/^Parser (cannot parse input: |has )/, "");
}
