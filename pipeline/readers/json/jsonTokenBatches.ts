import { ExportReadError } from "../../model/conversation.js";
import type { ExportFile } from "../../model/exportSource.js";
import { type DecodeOptions, decodeExportText, messageOf, type TextChunk } from "./exportText.js";
import { createJsonTokenizer, type Token } from "./jsonTokenizer.js";
import { JSON_LIMITS } from "./limits.js";
import { locateSyntaxError } from "./syntaxErrorPosition.js";

/** The tokens one chunk of the file produced, with that chunk's byte range (errors are located to it). */
export interface TokenBatch {
  tokens: readonly Token[];
  byteStart: number;
  byteEnd: number;
}

export interface JsonReadOptions extends DecodeOptions {
  /**
   * How a syntax error is located: "line" reads the file again up to the failing chunk and names a line and
   * column (or, failing that, the chunk's byte range); "byte" names the byte where the failing chunk ends.
   * Default "line".
   */
  syntaxErrorAt?: "line" | "byte";
  /**
   * Refuse the file once one key, string or number spans more than this many bytes (checked at chunk ends,
   * never early). Without it a long value is only cut to JSON_LIMITS.maxValueChars and streams on, for the
   * assembler to refuse the record it sits in.
   */
  maxValueBytes?: number | undefined;
  /** Characters of one value kept; JSON_LIMITS.maxValueChars unless a test needs a smaller bound. */
  maxValueChars?: number;
}

/**
 * The one path from an export file to JSON tokens, shared by the streaming readers: strict UTF-8 decoding
 * (an optional text filter on the way), stream-json's tokenizer driven synchronously with every value bounded,
 * a batch of packed tokens per input chunk. Every failure is an ExportReadError naming the file and where.
 */
export async function* readJsonTokens(
  file: ExportFile,
  options: JsonReadOptions = {},
): AsyncGenerator<TokenBatch> {
  const tokenizer = createJsonTokenizer(options.maxValueChars ?? JSON_LIMITS.maxValueChars);
  const maxValueBytes = options.maxValueBytes;
  // The value open at the last chunk end: which one (tokenizer.valuesBegun) and the chunk end it was first
  // seen at; its span is measured from there, so it is never over-counted.
  let openValue = -1;
  let openSince = 0;
  let size = 0;
  const stream = await file.open();
  try {
    for await (const chunk of decodeExportText(stream, file.label, options)) {
      size = chunk.byteEnd;
      let tokens: readonly Token[];
      try {
        tokens = tokenizer.write(chunk.text);
      } catch (error) {
        const where = await syntaxErrorWhere(file, chunk, options);
        throw new ExportReadError(file.label, where, `not valid JSON: ${parserMessage(error)}`, {
          cause: error,
        });
      }
      if (maxValueBytes !== undefined && tokenizer.inValue) {
        if (tokenizer.valuesBegun !== openValue) {
          openValue = tokenizer.valuesBegun;
          openSince = chunk.byteEnd;
        } else if (chunk.byteEnd - openSince > maxValueBytes) {
          throw new ExportReadError(
            file.label,
            `byte ${chunk.byteEnd}`,
            `a single JSON value is longer than ${maxValueBytes} bytes`,
          );
        }
      }
      if (tokens.length > 0) yield { tokens, byteStart: chunk.byteStart, byteEnd: chunk.byteEnd };
    }
    let tail: readonly Token[];
    try {
      tail = tokenizer.end();
    } catch (error) {
      throw new ExportReadError(
        file.label,
        `byte ${size}`,
        `the file ends before the JSON does (truncated?): ${parserMessage(error)}`,
        { cause: error },
      );
    }
    if (tail.length > 0) yield { tokens: tail, byteStart: size, byteEnd: size };
  } finally {
    stream.destroy();
  }
}

async function syntaxErrorWhere(
  file: ExportFile,
  chunk: TextChunk,
  options: JsonReadOptions,
): Promise<string> {
  if (options.syntaxErrorAt === "byte") return `byte ${chunk.byteEnd}`;
  return (
    (await locateSyntaxError(file, chunk.byteEnd, options)) ?? `bytes ${chunk.byteStart}-${chunk.byteEnd}`
  );
}

function parserMessage(error: unknown): string {
  return messageOf(error).replace(/^Parser (cannot parse input: |has )/, "");
}
