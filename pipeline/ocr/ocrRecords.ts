import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join, posix } from "node:path";
import { pipeline } from "node:stream/promises";
import type { ChatMessage, ExportRecord } from "../model/conversation.js";
import type { ExportSource } from "../model/exportSource.js";
import type { OcrEngine } from "./tesseractOcr.js";

export interface OcrCounts {
  /** Images whose text was attached to a turn. */
  imagesRead: number;
  /** Images read that held no text. */
  imagesWithoutText: number;
  /** Images the export names but does not contain (not exported, or a loose file without its folder). */
  imagesMissing: number;
  imagesFailed: number;
  /** The owner's own screenshots: their text is not the owner's words, so it is not attached. */
  ownerImagesSkipped: number;
}

export const emptyOcrCounts = (): OcrCounts => ({
  imagesRead: 0,
  imagesWithoutText: 0,
  imagesMissing: 0,
  imagesFailed: 0,
  ownerImagesSkipped: 0,
});

const IMAGE = /\.(jpe?g|png|webp|bmp|gif|tiff?)$/i;

/**
 * Attaches the text of photos (screenshots) sent by the owner's contacts to their message, as context for
 * the owner's reply: `[на изображении: …]`. A bare photo becomes a text message; missing files are counted.
 */
export async function* withOcr(
  records: AsyncIterable<ExportRecord>,
  source: ExportSource,
  ocr: OcrEngine,
  ownerIds: ReadonlySet<string>,
  counts: OcrCounts,
  signal?: AbortSignal,
): AsyncGenerator<ExportRecord> {
  const pathOfLabel = new Map<string, string>();
  for await (const file of source.files()) pathOfLabel.set(file.label, file.path);
  const scratch = await mkdtemp(join(tmpdir(), "aiclone-ocr-"));
  let chatDir = "";
  try {
    for await (const record of records) {
      if (record.type === "chat") chatDir = posix.dirname(pathOfLabel.get(record.chat.source) ?? "");
      if (record.type !== "message") {
        yield record;
        continue;
      }
      const images = (record.message.media ?? []).filter(
        (m) => m.type === "photo" || (m.path && IMAGE.test(m.path)),
      );
      if (images.length === 0) {
        yield record;
        continue;
      }
      if (record.message.authorId !== null && ownerIds.has(record.message.authorId)) {
        counts.ownerImagesSkipped += images.length;
        yield record;
        continue;
      }
      const texts: string[] = [];
      for (const image of images) {
        const text = await recognizeMedia(image.path, chatDir, source, ocr, scratch, counts, signal);
        if (text) texts.push(text);
      }
      yield texts.length === 0 ? record : { type: "message", message: attach(record.message, texts) };
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function attach(message: ChatMessage, texts: string[]): ChatMessage {
  const context = texts.map((t) => `[на изображении: ${t}]`).join("\n");
  return { ...message, kind: "text", text: message.text ? `${message.text}\n${context}` : context };
}

async function recognizeMedia(
  path: string | undefined,
  chatDir: string,
  source: ExportSource,
  ocr: OcrEngine,
  scratch: string,
  counts: OcrCounts,
  signal?: AbortSignal,
): Promise<string> {
  const file = path ? await source.file(posix.normalize(posix.join(chatDir, path))) : null;
  if (!file) {
    counts.imagesMissing++;
    return "";
  }
  const local = join(scratch, `image${extname(file.path) || ".img"}`);
  try {
    await pipeline(await file.open(), createWriteStream(local), signal ? { signal } : {});
    const text = await ocr.recognize(local, signal);
    if (text) counts.imagesRead++;
    else counts.imagesWithoutText++;
    return text;
  } catch (error) {
    signal?.throwIfAborted();
    void error;
    counts.imagesFailed++;
    return "";
  } finally {
    await rm(local, { force: true });
  }
}
