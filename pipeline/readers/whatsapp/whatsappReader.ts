import type { ExportRecord } from "../../model/conversation.js";
import { ExportReadError } from "../../model/conversation.js";
import type { ExportFile, ExportReader } from "../../model/exportSource.js";
import { splitAuthor } from "./authorSplit.js";
import { chatIdentity, groupNameFromNotices } from "./chatIdentity.js";
import { chatTypeOf } from "./chatType.js";
import { type AmbiguousOrder, DateOrderDetector } from "./dateOrder.js";
import { parseHeader } from "./headerGrammar.js";
import { BinaryDataError, type LineBatch, splitLines } from "./lineSplitter.js";
import { type Assembled, MessageAssembler } from "./messageAssembler.js";
import { MessageBuilder } from "./messageBuilder.js";

export interface WhatsAppReaderOptions {
  /** Headers sampled before deciding day/month order and chat type (default 10,000). */
  sampleHeaders?: number;
  /** ...or bytes, whichever comes first (default 8 MiB): bounds what is held before the first record. */
  sampleBytes?: number;
  /** Longer lines are skipped with a reason (default 1 MiB; WhatsApp caps a message at 65,536 characters). */
  maxLineBytes?: number;
  /** Longer messages are skipped with a reason (default 1 Mi characters). */
  maxMessageChars?: number;
  /** Day/month order for files whose dates cannot tell (all days ≤ 12); default day-first. */
  ambiguousOrder?: AmbiguousOrder;
}

/** Lines of the head that `accepts` looks at for a header: exports may start with a title or banner line. */
const ACCEPT_LOOKAHEAD_LINES = 10;

/**
 * Streaming reader of WhatsApp "Export chat" text files (Android and iOS, every locale layout in FORMATS.md §2).
 *
 * Two phases over one pass of the stream: lines are grouped into raw messages and held until a bounded prefix
 * has been seen (sampleHeaders / sampleBytes); then the day/month order (dateOrder.ts) and the chat type
 * (chatType.ts) are fixed, the chat record is emitted, the held messages follow, and the rest of the file is
 * converted as it streams. Memory is one chunk, one line (capped), one message (capped) and the prefix.
 *
 * Bad input: a NUL byte (a binary file) or a file with no header in its prefix is an ExportReadError; invalid
 * UTF-8, over-long lines and messages, impossible dates, and lines before the first header are skipped records
 * with `file:line`, so the report can count them and the rest of the chat is still read.
 */
export class WhatsAppReader implements ExportReader {
  readonly format = "whatsapp-txt" as const;
  private readonly sampleHeaders: number;
  private readonly sampleBytes: number;
  private readonly maxLineBytes: number;
  private readonly maxMessageChars: number;
  private readonly ambiguousOrder: AmbiguousOrder;

  constructor(options: WhatsAppReaderOptions = {}) {
    this.sampleHeaders = options.sampleHeaders ?? 10_000;
    this.sampleBytes = options.sampleBytes ?? 8 * 1024 * 1024;
    this.maxLineBytes = options.maxLineBytes ?? 1024 * 1024;
    this.maxMessageChars = options.maxMessageChars ?? 1024 * 1024;
    this.ambiguousOrder = options.ambiguousOrder ?? "day-first";
  }

  accepts(file: ExportFile, head: Buffer): boolean {
    if (!file.path.toLowerCase().endsWith(".txt") || head.includes(0)) return false;
    let looked = 0;
    for (const line of head.toString("utf8").split("\n")) {
      if (line.trim() === "") continue;
      if (parseHeader(line) !== null) return true;
      if (++looked >= ACCEPT_LOOKAHEAD_LINES) return false;
    }
    return false;
  }

  async *read(file: ExportFile, signal?: AbortSignal): AsyncGenerator<ExportRecord> {
    signal?.throwIfAborted();
    const stream = await file.open();
    // One generator, no `yield*` delegation: every extra async layer costs a promise per record.
    try {
      const batches = splitLines(stream, { maxLineBytes: this.maxLineBytes, signal });
      const assembler = new MessageAssembler(this.maxMessageChars);
      const prefix = await this.readPrefix(file, batches, assembler);
      const identity = chatIdentity(file.path);
      const { id } = identity;
      const name =
        identity.name ??
        groupNameFromNotices(
          prefix.held.flatMap((item) => (item.type === "message" ? [item.header.body] : [])),
        );
      const builder = new MessageBuilder(id, file.label, prefix.detector.resolve());
      // Learn the prefix's authors first, so `Ann:.` (no space) in an early line is recognised as Ann's.
      for (const item of prefix.held)
        if (item.type === "message") splitAuthor(item.header.body, builder.authors);
      const records = prefix.held.map((item) => this.toRecord(item, builder, file.label));
      yield {
        type: "chat",
        chat: { id, name, type: chatTypeOf(records), format: this.format, source: file.label },
      };
      for (const record of records) yield record;
      if (prefix.ended) return;

      for (;;) {
        const next = await batches.next();
        if (next.done) break;
        const { firstLine, lines, problems, marks } = next.value;
        for (let i = 0; i < lines.length; i++) {
          const done = assembler.push(firstLine + i, lines[i] as string, problems?.get(i) ?? null, marks);
          if (done !== null) yield this.toRecord(done, builder, file.label);
        }
      }
      const last = assembler.end();
      if (last !== null) yield this.toRecord(last, builder, file.label);
    } catch (error) {
      throw asReadError(file, error, signal);
    } finally {
      stream.destroy();
    }
  }

  /** Holds assembled messages until the sample bounds are reached, feeding their headers to the detector. */
  private async readPrefix(
    file: ExportFile,
    batches: AsyncGenerator<LineBatch>,
    assembler: MessageAssembler,
  ): Promise<{ held: Assembled[]; detector: DateOrderDetector; ended: boolean }> {
    const detector = new DateOrderDetector(this.sampleHeaders, this.ambiguousOrder);
    const held: Assembled[] = [];
    const hold = (item: Assembled | null): void => {
      if (item === null) return;
      if (item.type === "message") detector.observe(item.header);
      held.push(item);
    };
    let ended = false;
    let lastLine = 0;
    for (;;) {
      const next = await batches.next();
      if (next.done) {
        hold(assembler.end());
        ended = true;
        break;
      }
      const batch = next.value;
      for (let i = 0; i < batch.lines.length; i++) {
        hold(
          assembler.push(
            batch.firstLine + i,
            batch.lines[i] as string,
            batch.problems?.get(i) ?? null,
            batch.marks,
          ),
        );
      }
      lastLine = batch.firstLine + batch.lines.length - 1;
      if (assembler.headersSeen >= this.sampleHeaders || batch.bytesRead >= this.sampleBytes) break;
    }
    if (assembler.headersSeen === 0 && held.length > 0) {
      throw new ExportReadError(
        file.label,
        `lines 1-${lastLine}`,
        "no WhatsApp message header (like `31/12/20, 23:59 - Name: text` or `[31.12.20, 23:59:59] Name: text`)",
      );
    }
    return { held, detector, ended };
  }

  private toRecord(item: Assembled, builder: MessageBuilder, label: string): ExportRecord {
    if (item.type === "message") return builder.build(item);
    const what = `${item.count} line${item.count === 1 ? "" : "s"} before the first message header`;
    return {
      type: "skipped",
      skipped: {
        reason: item.problem === null ? what : `${what} (${item.problem})`,
        where: `${label}:${item.line}`,
      },
    };
  }
}

function asReadError(file: ExportFile, error: unknown, signal: AbortSignal | undefined): unknown {
  if (error instanceof ExportReadError || signal?.aborted) return error;
  if (error instanceof BinaryDataError) {
    return new ExportReadError(file.label, `line ${error.line}, byte ${error.byteOffset}`, error.message, {
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ExportReadError(file.label, "", `cannot read the file: ${message}`, { cause: error });
}

export const whatsappReader = new WhatsAppReader();
