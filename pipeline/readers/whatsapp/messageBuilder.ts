import type { ChatMessage, ExportRecord } from "../../model/conversation.js";
import { KnownAuthors, splitAuthor } from "./authorSplit.js";
import { classifyBody } from "./bodyClassifier.js";
import type { DateOrders } from "./dateOrder.js";
import { dateTextOf, type ParsedHeader } from "./headerGrammar.js";
import { stripDirectionMarks } from "./invisibleChars.js";
import type { RawMessage } from "./messageAssembler.js";
import { fullYear, to24Hour, wallClockMs } from "./wallClock.js";

/** Turns assembled raw messages of one chat into model records (a message, or a skip with its reason). */
/** Authored messages at the top of a chat where an encryption banner may appear without its U+200E. */
const BANNER_WINDOW = 10;

export class MessageBuilder {
  readonly authors = new KnownAuthors();
  private authored = 0;

  constructor(
    private readonly chatId: string,
    private readonly label: string,
    private readonly orders: DateOrders,
  ) {}

  build(raw: RawMessage): ExportRecord {
    if (raw.problem !== null) return this.skip(raw, raw.problem);
    const h = raw.header;
    const timestamp = this.timestampOf(h);
    if (Number.isNaN(timestamp)) return this.skip(raw, this.badDateReason(h));
    const split = splitAuthor(h.body, this.authors);
    const joined = joinLines(split.text, raw.more);
    const text = raw.marks ? stripDirectionMarks(joined) : joined;
    const message: ChatMessage = {
      id: String(raw.line),
      chatId: this.chatId,
      authorId: split.author,
      authorName: split.author,
      timestamp,
      text,
      kind: "service",
    };
    if (split.author === null) return { type: "message", message };
    // iOS writes the encryption banner at the top of the chat, its text led by U+200E (one corpus file has it
    // as the 4th message without the mark). Checking only there keeps a costly multilingual regex off the
    // millions of ordinary messages.
    const bannerPossible = this.authored++ < BANNER_WINDOW || split.text.charCodeAt(0) === 0x200e;
    const body = classifyBody(text, bannerPossible);
    message.kind = body.kind;
    message.text = body.text;
    if (body.media !== undefined) message.media = body.media;
    if (body.edited) message.edited = true;
    if (body.authorIsNotAPerson) {
      message.authorId = null;
      message.authorName = null;
    }
    return { type: "message", message };
  }

  timestampOf(h: ParsedHeader): number {
    const order = this.orders.orderFor(h);
    const year = fullYear(h.parts[order.year], h.yearDigits);
    return wallClockMs(
      year,
      h.parts[order.month],
      h.parts[order.day],
      to24Hour(h.hour, h.meridiem),
      h.minute,
      h.second,
    );
  }

  private badDateReason(h: ParsedHeader): string {
    const order = this.orders.orderFor(h);
    const time = `${h.hour}:${String(h.minute).padStart(2, "0")}${h.meridiem ? ` ${h.meridiem}` : ""}`;
    return `impossible date/time "${dateTextOf(h)} ${time}" for this file's date order: ${order.basis}`;
  }

  private skip(raw: RawMessage, reason: string): ExportRecord {
    return {
      type: "skipped",
      skipped: { ...problemCode(reason), reason, where: `${this.label}:${raw.line}` },
    };
  }
}

/** The size limits a line or message broke, as a code and numbers a report can translate. */
function problemCode(reason: string): { code: string; values: Record<string, number> } | object {
  const line = /^line longer than ([\d,]+) bytes/.exec(reason);
  if (line) return { code: "lineTooLong", values: { limitBytes: Number(line[1]!.replace(/,/g, "")) } };
  const message = /^message longer than ([\d,]+) characters/.exec(reason);
  if (message)
    return { code: "messageTooLong", values: { limitChars: Number(message[1]!.replace(/,/g, "")) } };
  return {};
}

/**
 * The first line's text plus continuation lines. Trailing blank lines are dropped: in the file they cannot be
 * told apart from spacing before the next header, and WhatsApp trims messages on sending anyway.
 */
function joinLines(first: string, more: string[] | null): string {
  if (more === null) return first;
  let end = more.length;
  while (end > 0 && (more[end - 1] as string).trim() === "") end--;
  if (end === 0) return first;
  const rest = (end === more.length ? more : more.slice(0, end)).join("\n");
  return first === "" ? rest : `${first}\n${rest}`;
}
