import type { Readable } from "node:stream";
import type { ExportFormat, ExportRecord } from "./conversation.js";

/**
 * One file of an export, however it arrived (a loose file, an entry of a zip): readers see only this,
 * so they never deal with archives or paths on disk.
 */
export interface ExportFile {
  /** Path inside the export (`result.json`, `chats/chat_01/result.json`, `WhatsApp Chat with Маша.txt`). */
  path: string;
  /** Display name for messages: the loose path, or `archive.zip!/entry`. */
  label: string;
  size: number;
  open(): Promise<Readable>;
}

/** A folder-like view of an export: list its files and open them (media files included, for OCR). */
export interface ExportSource {
  label: string;
  files(): AsyncIterable<ExportFile>;
  /** A file by its path inside the export, or null (missing media is counted, not fatal). */
  file(path: string): Promise<ExportFile | null>;
  close(): Promise<void>;
}

/** What a reader may use besides its file: the source it came from, for exports split over several files. */
export interface ReadContext {
  /** The whole export, to open a chat's other pages in order (Telegram HTML's `messages2.html`, …). */
  source?: ExportSource;
}

/** A reader turns the files of an export it recognises into records. */
export interface ExportReader {
  format: ExportFormat;
  /** Cheap check on a file's name and first bytes. */
  accepts(file: ExportFile, head: Buffer): boolean;
  read(file: ExportFile, signal?: AbortSignal, context?: ReadContext): AsyncIterable<ExportRecord>;
}
