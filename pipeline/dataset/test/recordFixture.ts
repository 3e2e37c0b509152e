import { ChatMessage, ChatType, ExportRecord, MessageKind } from "../../model/conversation.js";
import { RecordSource } from "../recordSource.js";

/** Builds small synthetic export streams for tests: chats, then their messages, minute by minute. */
export class RecordFixture {
  readonly records: ExportRecord[] = [];
  private nextId = 1;
  private chatId = "";
  private clock = Date.UTC(2024, 0, 10, 12, 0);

  account(id: string, name: string | null): this {
    this.records.push({ type: "account", owner: { id, name } });
    return this;
  }

  chat(id: string, name: string | null, type: ChatType = "personal", source = "result.json"): this {
    this.chatId = id;
    this.records.push({ type: "chat", chat: { id, name, type, format: "telegram-json", source } });
    return this;
  }

  /** Sets the clock (epoch ms) for the next message. */
  at(timestamp: number): this {
    this.clock = timestamp;
    return this;
  }

  /** Advances the clock by minutes (or hours with `h`). */
  after(amount: number, unit: "m" | "h" = "m"): this {
    this.clock += amount * (unit === "h" ? 3_600_000 : 60_000);
    return this;
  }

  msg(
    authorId: string | null,
    authorName: string | null,
    text: string,
    extra: Partial<ChatMessage> = {},
  ): this {
    this.records.push({
      type: "message",
      message: {
        id: String(this.nextId++),
        chatId: this.chatId,
        authorId,
        authorName,
        timestamp: this.clock,
        text,
        kind: "text" as MessageKind,
        ...extra,
      },
    });
    this.clock += 60_000;
    return this;
  }

  skipped(reason: string, where: string): this {
    this.records.push({ type: "skipped", skipped: { reason, where } });
    return this;
  }

  source(): RecordSource {
    const records = this.records;
    return async function* () {
      yield* records;
    };
  }
}

export const me = { id: "user1", name: "Иван Петров" };
export const masha = { id: "user2", name: "Маша" };
export const bob = { id: "user3", name: "Bob" };
