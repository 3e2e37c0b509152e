import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join, posix } from "node:path";
import { pipeline } from "node:stream/promises";
import type { ExportRecord } from "../model/conversation.js";
import type { ExportSource } from "../model/exportSource.js";

/** What came of a media file a message names: not in the export, could not be read, or the reader's result. */
export type MediaOutcome<T> = { kind: "missing" } | { kind: "failed" } | { kind: "done"; value: T };

/**
 * Local copies of the media files an export's messages name (photos, voice notes), for readers that need a
 * file on disk (Tesseract, the speech decoder). A message's media path is relative to its chat's folder, so
 * `follow` must see every record; each copy lives in a private scratch folder only while it is read.
 */
export class MediaCopies {
  private chatDir = "";

  private constructor(
    private readonly source: ExportSource,
    private readonly pathOfLabel: ReadonlyMap<string, string>,
    private readonly scratch: string,
    readonly signal: AbortSignal | undefined,
  ) {}

  static async open(source: ExportSource, purpose: string, signal?: AbortSignal): Promise<MediaCopies> {
    const pathOfLabel = new Map<string, string>();
    for await (const file of source.files()) pathOfLabel.set(file.label, file.path);
    const scratch = await mkdtemp(join(tmpdir(), `aiclone-${purpose}-`));
    return new MediaCopies(source, pathOfLabel, scratch, signal);
  }

  /** Follows the chat the next messages belong to. */
  follow(record: ExportRecord): void {
    if (record.type === "chat") this.chatDir = posix.dirname(this.pathOfLabel.get(record.chat.source) ?? "");
  }

  /** Copies the file `path` names to the scratch folder, runs `read` on the copy and deletes it. */
  async read<T>(
    path: string | undefined,
    fallbackExt: string,
    read: (local: string) => Promise<T>,
  ): Promise<MediaOutcome<T>> {
    const file = path ? await this.source.file(posix.normalize(posix.join(this.chatDir, path))) : null;
    if (!file) return { kind: "missing" };
    const local = join(this.scratch, `media${extname(file.path) || fallbackExt}`);
    try {
      await pipeline(await file.open(), createWriteStream(local), this.signal ? { signal: this.signal } : {});
      return { kind: "done", value: await read(local) };
    } catch (error) {
      this.signal?.throwIfAborted();
      void error; // a broken file is counted by the caller, never fatal
      return { kind: "failed" };
    } finally {
      await rm(local, { force: true });
    }
  }

  async close(): Promise<void> {
    await rm(this.scratch, { recursive: true, force: true });
  }
}
