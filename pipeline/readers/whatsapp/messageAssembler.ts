import { type ParsedHeader, parseHeader } from "./headerGrammar.js";

/**
 * Groups lines into messages: a header line starts one, every other line continues the previous one (multi-line
 * texts, Android captions under `IMG-… (file attached)`, poll options, location lines). The text of a message
 * is capped so that a file of one header and gigabytes of continuation lines stays in bounded memory.
 */

export interface RawMessage {
  type: "message";
  /** 1-based line of the header; also the message id. */
  line: number;
  header: ParsedHeader;
  /** Continuation lines, or null for the common one-line message. */
  more: string[] | null;
  /** Set when any line of the message was unusable; the message is then reported as skipped. */
  problem: string | null;
  /** Whether any of its lines may hold direction marks (see LineBatch.marks). */
  marks: boolean;
}

/** Lines before the first header (a title line, an undated banner): nothing to attach them to. */
export interface OrphanLines {
  type: "orphans";
  line: number;
  count: number;
  problem: string | null;
}

export type Assembled = RawMessage | OrphanLines;

export class MessageAssembler {
  private current: RawMessage | null = null;
  private currentChars = 0;
  private orphans: OrphanLines | null = null;
  headersSeen = 0;

  constructor(private readonly maxMessageChars: number) {}

  /** Feeds one line; returns the message or orphan run that this line completed, if any. */
  push(line: number, text: string, problem: string | null, marks = true): Assembled | null {
    const header = parseHeader(text);
    if (header !== null) {
      this.headersSeen++;
      const done: Assembled | null = this.current ?? this.orphans;
      this.orphans = null;
      this.current = { type: "message", line, header, more: null, problem, marks };
      this.currentChars = header.body.length;
      return done;
    }
    if (this.current !== null) {
      if (marks) this.current.marks = true;
      this.continueMessage(this.current, line, text, problem);
      return null;
    }
    // Blank lines before the first header carry nothing worth reporting.
    if (text.trim() === "" && problem === null) return null;
    if (this.orphans === null) this.orphans = { type: "orphans", line, count: 0, problem: null };
    this.orphans.count++;
    this.orphans.problem ??= problem;
    return null;
  }

  /** The last message or orphan run at end of input. */
  end(): Assembled | null {
    const done = this.current ?? this.orphans;
    this.current = null;
    this.orphans = null;
    return done;
  }

  private continueMessage(message: RawMessage, line: number, text: string, problem: string | null): void {
    if (problem !== null) message.problem ??= `${problem} at line ${line}`;
    this.currentChars += text.length + 1;
    if (this.currentChars > this.maxMessageChars) {
      message.problem ??= `message longer than ${this.maxMessageChars.toLocaleString("en-US")} characters`;
      // Keep counting lines for the error position but stop keeping their text.
      message.more = null;
      return;
    }
    if (message.more === null) message.more = [text];
    else message.more.push(text);
  }
}
