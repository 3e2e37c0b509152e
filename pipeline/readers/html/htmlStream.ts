import { Parser } from "htmlparser2";
import iconv from "iconv-lite";
import type { ExportFile } from "../../model/exportSource.js";
import { detectCharset, type HtmlCharset } from "./charset.js";

export type { HtmlCharset };

/** What a page parser hears from the tokenizer (htmlparser2's callbacks, entities already decoded). */
export interface HtmlHandler {
  onopentag(name: string, attributes: Record<string, string>): void;
  ontext(text: string): void;
  onclosetag(name: string): void;
}

export interface HtmlStreamOptions {
  /** "detect": from the file's first kilobyte (BOM, meta charset, else whether it is valid UTF-8). */
  charset: HtmlCharset | "detect";
  signal?: AbortSignal;
}

const SNIFF_BYTES = 1024;

/**
 * Streams one HTML file through htmlparser2 in the given (or detected) charset, yielding after each chunk whatever the
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
  let decoder: iconv.DecoderStream | null =
    options.charset === "detect" ? null : iconv.getDecoder(options.charset, { stripBOM: true });
  let pending: Buffer[] = [];
  const feed = (bytes: Buffer, final: boolean) => {
    if (decoder === null) {
      pending.push(bytes);
      const head = Buffer.concat(pending);
      if (head.length < SNIFF_BYTES && !final) return;
      decoder = iconv.getDecoder(detectCharset(head), { stripBOM: true });
      pending = [];
      parser.write(decoder.write(head));
    } else parser.write(decoder.write(bytes));
  };
  const stream = await file.open();
  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      options.signal?.throwIfAborted();
      feed(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk, false);
      yield* drain();
    }
  } finally {
    stream.destroy();
  }
  feed(Buffer.alloc(0), true);
  const rest = (decoder as iconv.DecoderStream | null)?.end();
  if (rest) parser.write(rest);
  parser.end();
  yield* drain();
}

/** The class names of an element, for `class="message default clearfix joined"`. */
export function classesOf(attributes: Record<string, string>): Set<string> {
  return new Set((attributes.class ?? "").split(/\s+/).filter((c) => c !== ""));
}
