import { ExportReadError, type ExportRecord } from "../../model/conversation.js";
import { BoundedAssembler, JSON_LIMITS, RECORD_LIMITS, type Token } from "../json/index.js";
import { discordChatInfo } from "./discordChannel.js";
import { discordMessageRecord } from "./discordMessage.js";

export interface WalkerLimits {
  /**
   * Deeper nesting anywhere in the file than any DCE file has means a hostile or broken file: the whole file
   * is refused (DCE has no deep side tables, so the record bound serves for the document).
   */
  maxDepth: number;
  /** Bytes of the file one guild/channel/message object may span. */
  maxValueBytes: number;
}

export const DEFAULT_WALKER_LIMITS: WalkerLimits = {
  maxDepth: JSON_LIMITS.maxRecordDepth,
  maxValueBytes: JSON_LIMITS.maxRecordBytes,
};

type Target = "guild" | "channel" | "message" | "skip";

interface Capture {
  target: Target;
  /** Depth before the captured value opened; the capture ends when the depth is back here. */
  baseDepth: number;
  startOffset: number;
  assembler: BoundedAssembler | null;
}

/**
 * Walks the token stream of a DiscordChatExporter file and turns it into records as values complete: the
 * chat when `channel` closes (DCE writes it before `messages`), then one record per element of `messages`.
 * Only one message is ever assembled at a time, within RECORD_LIMITS, so memory does not grow with the export;
 * a record past a limit fails the whole file at once (a DCE file is machine-written: an oversized record
 * means a broken or hostile file).
 */
export class DiscordExportWalker {
  private depth = 0;
  private key: string | null = null;
  private started = false;
  private closed = false;
  private inMessages = false;
  private messageIndex = 0;
  private chatId: string | null = null;
  private capture: Capture | null = null;
  private offset = 0;

  constructor(
    private readonly file: string,
    private readonly limits: WalkerLimits = DEFAULT_WALKER_LIMITS,
  ) {}

  /** Feeds one batch of tokens; completed records are appended to `out`. */
  push(tokens: readonly Token[], offset: number, out: ExportRecord[]): void {
    this.offset = offset;
    for (const token of tokens) this.onToken(token, out);
    if (this.capture && offset - this.capture.startOffset > this.limits.maxValueBytes) {
      this.fail(`a ${this.capture.target} object is larger than ${this.limits.maxValueBytes} bytes`);
    }
  }

  /** Called once the input ended without a parse error. */
  finish(): void {
    if (!this.closed) this.fail("unexpected end of the export");
    if (this.chatId === null) this.fail("not a DiscordChatExporter export: no channel object");
  }

  private onToken(token: Token, out: ExportRecord[]): void {
    const opens = token.name === "startObject" || token.name === "startArray";
    const closes = token.name === "endObject" || token.name === "endArray";
    const before = this.depth;
    if (opens && ++this.depth > this.limits.maxDepth)
      this.fail(`JSON nested deeper than ${this.limits.maxDepth}`);
    if (closes) this.depth--;

    if (this.capture) {
      const { assembler, target } = this.capture;
      if (assembler) {
        assembler.push(token);
        if (assembler.failure !== null) this.fail(`a ${target} object is ${assembler.failure}`);
      }
      if (this.depth === this.capture.baseDepth) this.completeCapture(out);
      return;
    }
    if (!this.started) {
      if (token.name !== "startObject")
        this.fail("not a DiscordChatExporter export: the top level is not an object");
      this.started = true;
      return;
    }
    if (before === 1) this.onTopLevel(token, opens, out);
    else if (before === 2 && this.inMessages) this.onMessagesElement(token, opens, out);
    else if (token.name === "endObject" && this.depth === 0) this.closed = true;
  }

  private onTopLevel(token: Token, opens: boolean, out: ExportRecord[]): void {
    if (token.name === "keyValue") {
      this.key = token.value;
      return;
    }
    if (token.name === "endObject") {
      this.closed = true;
      return;
    }
    const key = this.key;
    this.key = null;
    if (key === "messages") {
      if (token.name !== "startArray") this.fail("`messages` is not an array");
      if (this.chatId === null)
        this.fail("`messages` comes before `channel`; not a DiscordChatExporter layout");
      this.inMessages = true;
      return;
    }
    const target: Target = key === "channel" ? "channel" : key === "guild" ? "guild" : "skip";
    if (opens) this.startCapture(target, token);
    else if (target === "channel") this.onChannel("value" in token ? token.value : null, out);
  }

  private onMessagesElement(token: Token, opens: boolean, out: ExportRecord[]): void {
    if (token.name === "endArray") {
      this.inMessages = false;
      return;
    }
    if (opens) {
      this.startCapture("message", token);
      return;
    }
    this.onMessage("value" in token ? token.value : null, out);
  }

  private startCapture(target: Target, token: Token): void {
    // Skipped values (reactions-sized side tables, unknown keys) are walked but never assembled.
    // Numbers are kept as their literal text: snowflakes would lose precision as doubles.
    const assembler = target === "skip" ? null : new BoundedAssembler(RECORD_LIMITS, { numbers: "text" });
    assembler?.push(token);
    this.capture = { target, baseDepth: this.depth - 1, startOffset: this.offset, assembler };
  }

  private completeCapture(out: ExportRecord[]): void {
    const { target, assembler } = this.capture!;
    this.capture = null;
    const value: unknown = assembler?.result();
    if (target === "channel") this.onChannel(value, out);
    else if (target === "message") this.onMessage(value, out);
    // The guild adds nothing a ChatInfo holds: DMs are told apart by the channel type.
  }

  private onChannel(value: unknown, out: ExportRecord[]): void {
    if (this.chatId !== null) return; // DCE writes one channel; a second would be a different layout
    const chat = discordChatInfo(value, this.file);
    if (typeof chat === "string") this.fail(chat);
    this.chatId = chat.id;
    out.push({ type: "chat", chat });
  }

  private onMessage(value: unknown, out: ExportRecord[]): void {
    const index = this.messageIndex++;
    out.push(discordMessageRecord(value, this.chatId!, `${this.chatId}/messages[${index}]`));
  }

  private fail(message: string): never {
    throw new ExportReadError(this.file, `byte ${this.offset}`, message);
  }
}
