import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readTelegramExport } from "./telegramReader.js";
import { exportFileFromGenerator } from "./test/exportFiles.js";
import { writeTelegramExport } from "./test/exportWriter.js";

const TARGET_BYTES = 200 * 1000 * 1000;

/** A ~200 MB full export produced part by part: it never exists in memory as a whole. */
function* hugeExport(): Generator<string> {
  let bytes = 0;
  function* messages(chat: number) {
    for (let i = 0; bytes < (TARGET_BYTES * (chat + 1)) / 2; i++) {
      const message = {
        id: i,
        type: "message",
        date: "2024-01-01T10:00:00",
        date_unixtime: String(1_704_103_200 + i),
        from: "Мария Иванова",
        from_id: "user123456",
        text: [
          "Привет! Как дела? 😀 ",
          { type: "bold", text: "сегодня" },
          ` встреча в ${i % 24}:00\nне забудь`,
        ],
        text_entities: [
          { type: "plain", text: "Привет! Как дела? 😀 " },
          { type: "bold", text: "сегодня" },
        ],
      };
      yield message;
      bytes += 485; // about the UTF-8 size of one message as written (measured)
    }
  }
  yield* writeTelegramExport({
    kind: "full",
    personal: { user_id: 123456, first_name: "Мария" },
    chats: [
      { header: { name: "Большая группа", type: "private_supergroup", id: 1 }, messages: messages(0) },
      { header: { name: "Канал", type: "public_channel", id: 2 }, messages: messages(1) },
    ],
  });
}

describe("telegram reader: streaming", () => {
  it("reads a ~200 MB export with flat memory", { timeout: 60_000 }, async () => {
    const before = process.memoryUsage().rss;
    let peak = before;
    let messages = 0;
    let bytesOfText = 0;
    const chats: string[] = [];
    const started = performance.now();
    for await (const record of readTelegramExport(exportFileFromGenerator(hugeExport))) {
      if (record.type === "message") {
        messages++;
        bytesOfText += record.message.text.length;
        if (messages % 20_000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
      } else if (record.type === "chat") chats.push(record.chat.id);
      else assert.equal(record.type, "account");
    }
    const seconds = (performance.now() - started) / 1000;
    const growthMb = (peak - before) / 1e6;
    console.log(`${messages} messages in ${seconds.toFixed(1)} s, RSS growth ${growthMb.toFixed(0)} MB`);
    assert.deepEqual(chats, ["1", "2"]);
    assert.ok(messages > 300_000, `only ${messages} messages`);
    assert.ok(bytesOfText > 0);
    assert.ok(growthMb < 150, `RSS grew by ${growthMb.toFixed(0)} MB`);
  });
});
