import {
  ACCOUNT_LIMITS,
  type AssemblyLimits,
  BoundedAssembler,
  JSON_LIMITS,
  type JsonValue,
  RECORD_LIMITS,
  type Token,
} from "../json/index.js";

/** Where a chat object sits in the export: the file itself (single-chat export) or one of the two lists. */
export type ChatSection = "root" | "chats" | "left_chats";

/** A chat's scalar keys, as far as they were read before its messages began. */
export interface ChatHeader {
  /** 0-based position among the listed chats (0 for a single-chat export), for chats without an id. */
  ordinal: number;
  section: ChatSection;
  /** The raw id: a number's literal text or a string; null when absent. */
  id: string | null;
  name: string | null;
  type: string | null;
}

/** A value that was assembled, or the reason it was not. */
export type Assembled = { value: JsonValue } | { failure: string };

/** What the walker reports, in file order. */
export interface ExportStructureHandler {
  account(result: Assembled): void;
  chat(header: ChatHeader): void;
  message(header: ChatHeader, index: number, result: Assembled): void;
  /** An entry of `chats.list` / `left_chats.list` that is not an object. */
  invalidChat(section: ChatSection, index: number): void;
  /** A chat whose `messages` is not an array. */
  invalidMessages(header: ChatHeader): void;
}

/** The file is not a Telegram export's shape at all; the reader turns this into an ExportReadError. */
export class ExportShapeError extends Error {}

const MAX_NESTING = JSON_LIMITS.maxDocumentDepth;

interface ChatDraft {
  header: ChatHeader;
  announced: boolean;
  /** Saw `name`, `type`, `id` or `messages`: the object is a chat, not just the account wrapper. */
  isChat: boolean;
}

type Frame =
  | { kind: "chat"; draft: ChatDraft; key: string | null }
  | { kind: "section"; section: ChatSection; key: string | null }
  | { kind: "chatList"; section: ChatSection; index: number }
  | { kind: "messages"; draft: ChatDraft; index: number }
  | { kind: "skip"; depth: number }
  | { kind: "assemble"; assembler: BoundedAssembler; done: (result: Assembled) => void };

/**
 * A one-pass state machine over the token stream of a Telegram export. It picks out the parts the reader
 * needs (account, chat headers, each message) and steps over everything else (contacts, sessions, stories,
 * unknown keys) without building it, so memory is bounded by one message, not by the file.
 */
export class TelegramExportWalker {
  private readonly stack: Frame[] = [];
  private nesting = 0;
  private started = false;
  private finished = false;
  private chatCount = 0;

  constructor(private readonly handler: ExportStructureHandler) {}

  push(token: Token): void {
    if (token.name === "startObject" || token.name === "startArray") {
      if (++this.nesting > MAX_NESTING) throw new ExportShapeError(`JSON nested deeper than ${MAX_NESTING}`);
    } else if (token.name === "endObject" || token.name === "endArray") {
      this.nesting--;
    }
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) {
      this.pushRoot(token);
      return;
    }
    switch (top.kind) {
      case "skip":
        if (token.name === "startObject" || token.name === "startArray") top.depth++;
        else if ((token.name === "endObject" || token.name === "endArray") && --top.depth === 0)
          this.stack.pop();
        return;
      case "assemble":
        if (top.assembler.push(token)) {
          this.stack.pop();
          const failure = top.assembler.failure;
          top.done(failure === null ? { value: top.assembler.result() } : { failure });
        }
        return;
      case "chat":
        if (token.name === "keyValue") top.key = token.value;
        else if (token.name === "endObject") this.endChat(top.draft);
        else this.chatValue(top, token);
        return;
      case "section":
        if (token.name === "keyValue") top.key = token.value;
        else if (token.name === "endObject") this.stack.pop();
        else if (top.key === "list" && token.name === "startArray") {
          this.stack.push({ kind: "chatList", section: top.section, index: 0 });
        } else this.skipValue(token);
        return;
      case "chatList":
        if (token.name === "endArray") this.stack.pop();
        else if (token.name === "startObject") {
          top.index++;
          this.startChat(top.section);
        } else {
          this.handler.invalidChat(top.section, top.index++);
          this.skipValue(token);
        }
        return;
      case "messages":
        if (token.name === "endArray") this.stack.pop();
        else {
          const index = top.index++;
          const header = top.draft.header;
          if (token.name === "startObject") {
            this.assemble(token, RECORD_LIMITS, (result) => this.handler.message(header, index, result));
          } else {
            this.handler.message(header, index, { failure: "the message is not a JSON object" });
            this.skipValue(token);
          }
        }
        return;
    }
  }

  /** Call after the last token; the tokenizer has already rejected incomplete JSON, this is a safety net. */
  end(): void {
    if (!this.finished) throw new ExportShapeError("the file ends before the export does");
  }

  private pushRoot(token: Token): void {
    if (this.finished) throw new ExportShapeError("unexpected data after the export");
    if (token.name !== "startObject") throw new ExportShapeError("a Telegram export is a JSON object");
    this.started = true;
    this.startChat("root");
  }

  private startChat(section: ChatSection): void {
    const ordinal = section === "root" ? 0 : this.chatCount++;
    const header: ChatHeader = { ordinal, section, id: null, name: null, type: null };
    this.stack.push({
      kind: "chat",
      draft: { header, announced: false, isChat: section !== "root" },
      key: null,
    });
  }

  private endChat(draft: ChatDraft): void {
    this.stack.pop();
    // A chat without messages is still a chat; the root object is one only in a single-chat export.
    if (draft.isChat) this.announce(draft);
    if (this.stack.length === 0 && this.started) this.finished = true;
  }

  private announce(draft: ChatDraft): void {
    if (draft.announced) return;
    draft.announced = true;
    this.handler.chat(draft.header);
  }

  private chatValue(frame: Extract<Frame, { kind: "chat" }>, token: Token): void {
    const { draft } = frame;
    const header = draft.header;
    const isRoot = header.section === "root";
    switch (frame.key) {
      case "messages":
        draft.isChat = true;
        // Messages stream out as they are read, so the chat is announced with the keys seen so far
        // (tdesktop writes name, type and id first).
        this.announce(draft);
        if (token.name === "startArray") this.stack.push({ kind: "messages", draft, index: 0 });
        else {
          this.handler.invalidMessages(header);
          this.skipValue(token);
        }
        return;
      case "name":
        draft.isChat = true;
        if (token.name === "stringValue") header.name = token.value;
        else this.skipValue(token);
        return;
      case "type":
        draft.isChat = true;
        if (token.name === "stringValue") header.type = token.value;
        else this.skipValue(token);
        return;
      case "id":
        draft.isChat = true;
        if (token.name === "numberValue" || token.name === "stringValue") header.id = token.value;
        else this.skipValue(token);
        return;
      case "personal_information":
        if (isRoot && token.name === "startObject") {
          this.assemble(token, ACCOUNT_LIMITS, (result) => this.handler.account(result));
        } else this.skipValue(token);
        return;
      case "chats":
      case "left_chats":
        if (isRoot && token.name === "startObject") {
          this.stack.push({ kind: "section", section: frame.key, key: null });
        } else this.skipValue(token);
        return;
      default:
        this.skipValue(token);
    }
  }

  private assemble(first: Token, limits: AssemblyLimits, done: (result: Assembled) => void): void {
    const assembler = new BoundedAssembler(limits);
    assembler.push(first);
    this.stack.push({ kind: "assemble", assembler, done });
  }

  private skipValue(token: Token): void {
    if (token.name === "startObject" || token.name === "startArray")
      this.stack.push({ kind: "skip", depth: 1 });
  }
}
