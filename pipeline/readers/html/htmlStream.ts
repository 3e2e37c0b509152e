import { Parser } from "htmlparser2";
import iconv from "iconv-lite";
import type { ExportFile } from "../../model/exportSource.js";

/** What a page parser hears from the tokenizer (htmlparser2's callbacks, entities already decoded). */
export interface HtmlHandler {
  onopentag(name: string, attributes: Record<string, string>): void;
  ontext(text: string): void;
  onclosetag(name: string): void;
}

export type HtmlCharset = "utf-8" | "windows-1251";

export interface HtmlStreamOptions {
  charset: HtmlCharset;
  signal?: AbortSignal;
}

/**
 * Streams one HTML file through htmlparser2 in the given charset, yielding after each chunk whatever the
 * handler has produced by then (`drain`). The file is never held whole: a chunk is decoded (a character cut
 * by the chunk boundary waits for the next one) and tokenized as it arrives.
 */
export async function* streamHtml<T>(
  file: ExportFile,
  handler: HtmlHandler,
  drain: () => T[],
  options: HtmlStreamOptions,
): AsyncGenerator<T> {
  const parser = new Parser(handler, { decodeEntities: true, lowerCaseTags: true });
  const decoder = iconv.getDecoder(options.charset, { stripBOM: true });
  const stream = await file.open();
  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      options.signal?.throwIfAborted();
      const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
      parser.write(decoder.write(bytes));
      yield* drain();
    }
  } finally {
    stream.destroy();
  }
  const rest = decoder.end();
  if (rest) parser.write(rest);
  parser.end();
  yield* drain();
}

/** The class names of an element, for `class="message default clearfix joined"`. */
export function classesOf(attributes: Record<string, string>): Set<string> {
  return new Set((attributes.class ?? "").split(/\s+/).filter((c) => c !== ""));
}
