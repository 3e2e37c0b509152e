import { MediaCopies } from "../archive/mediaCopies.js";
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
  const media = await MediaCopies.open(source, "ocr", signal);
  try {
    for await (const record of records) {
      media.follow(record);
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
        const text = await recognizeImage(media, image.path, ocr, counts);
        if (text) texts.push(text);
      }
      yield texts.length === 0 ? record : { type: "message", message: attach(record.message, texts) };
    }
  } finally {
    await media.close();
  }
}

function attach(message: ChatMessage, texts: string[]): ChatMessage {
  const context = texts.map((t) => `[на изображении: ${t}]`).join("\n");
  return { ...message, kind: "text", text: message.text ? `${message.text}\n${context}` : context };
}

async function recognizeImage(
  media: MediaCopies,
  path: string | undefined,
  ocr: OcrEngine,
  counts: OcrCounts,
): Promise<string> {
  const outcome = await media.read(path, ".img", (local) => ocr.recognize(local, media.signal));
  if (outcome.kind === "missing") counts.imagesMissing++;
  if (outcome.kind === "failed") counts.imagesFailed++;
  if (outcome.kind !== "done") return "";
  if (outcome.value) counts.imagesRead++;
  else counts.imagesWithoutText++;
  return outcome.value;
}
