import type { ExportRecord } from "../../model/conversation.js";
import { accountOwnerOf } from "./accountOwner.js";
import { chatIdOf, chatInfoOf } from "./chatInfo.js";
import type { Assembled, ChatHeader, ChatSection, ExportStructureHandler } from "./exportWalker.js";
import { mapTelegramMessage } from "./messageMapper.js";

/** Turns what the walker finds into ExportRecords, queued until the reader yields them. */
export class TelegramRecordBuilder implements ExportStructureHandler {
  readonly pending: ExportRecord[] = [];
  private previousTimestamp: number | null = null;

  constructor(private readonly label: string) {}

  account(result: Assembled): void {
    const owner = "value" in result ? accountOwnerOf(result.value) : null;
    if (owner !== null) this.pending.push({ type: "account", owner });
    else {
      const reason =
        "failure" in result
          ? `personal_information is ${result.failure}`
          : "personal_information has no user_id";
      this.skip(reason, `${this.label} personal_information`);
    }
  }

  chat(header: ChatHeader): void {
    this.previousTimestamp = null;
    this.pending.push({ type: "chat", chat: chatInfoOf(header, this.label) });
  }

  message(header: ChatHeader, index: number, result: Assembled): void {
    const chatId = chatIdOf(header);
    const where = (id: string | null) => `${this.label} chat ${chatId} message ${id ?? `#${index}`}`;
    if ("failure" in result) {
      this.skip(`the message is ${result.failure}`, where(null));
      return;
    }
    const mapped = mapTelegramMessage(result.value, {
      chatId,
      index,
      previousTimestamp: this.previousTimestamp,
    });
    if ("reason" in mapped) {
      this.skip(mapped.reason, where(mapped.id));
      return;
    }
    this.previousTimestamp = mapped.message.timestamp;
    this.pending.push({ type: "message", message: mapped.message });
  }

  invalidChat(section: ChatSection, index: number): void {
    this.skip("the chat is not a JSON object", `${this.label} ${section}.list[${index}]`);
  }

  invalidMessages(header: ChatHeader): void {
    this.skip("messages is not an array", `${this.label} chat ${chatIdOf(header)}`);
  }

  private skip(reason: string, where: string): void {
    this.pending.push({ type: "skipped", skipped: { reason, where } });
  }
}
