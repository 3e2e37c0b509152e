import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deserialize, serialize } from "node:v8";
import fc from "fast-check";
import type { ChatMessage, ExportRecord } from "../model/conversation.js";
import { decodeRecords, encodeRecords } from "./recordBatchCodec.js";

const text = fc.oneof(fc.string(), fc.constantFrom("привет", "", "да 🙂", "<Без медиафайлов>"));
const nullable = (value: fc.Arbitrary<string>) => fc.option(value, { nil: null });

const message: fc.Arbitrary<ChatMessage> = fc
  .record(
    {
      id: fc.string({ maxLength: 6 }),
      chatId: fc.constantFrom("1", "2", "Чат с Машей.txt"),
      authorId: nullable(fc.constantFrom("user1", "user2", "Аня")),
      authorName: nullable(fc.constantFrom("Аня", "Маша", "")),
      timestamp: fc.integer({ min: 0, max: 2 ** 42 }),
      text,
      kind: fc.constantFrom("text", "media", "sticker", "service", "deleted"),
      replyToId: fc.string({ maxLength: 4 }),
      forwardedFrom: nullable(fc.string({ maxLength: 8 })),
      edited: fc.boolean(),
      media: fc.array(
        fc.record(
          { type: fc.constantFrom("photo", "voice"), path: fc.string(), omitted: fc.boolean() },
          { requiredKeys: ["type"] },
        ),
        { maxLength: 2 },
      ),
      viaBot: fc.string({ maxLength: 5 }),
    },
    { requiredKeys: ["id", "chatId", "authorId", "authorName", "timestamp", "text", "kind"] },
  )
  .map((m) => m as ChatMessage);

const record: fc.Arbitrary<ExportRecord> = fc.oneof(
  message.map((m) => ({ type: "message" as const, message: m })),
  fc
    .record({
      type: fc.constant("chat" as const),
      chat: fc.record({ id: fc.string(), name: nullable(text) }),
    })
    .map((r) => r as unknown as ExportRecord),
  fc
    .record({
      type: fc.constant("skipped" as const),
      skipped: fc.record({ reason: text, where: fc.string() }),
    })
    .map((r) => r as ExportRecord),
);

describe("recordBatchCodec", () => {
  it("a batch decodes, after crossing threads, to what a structured clone of the records gives", () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 40 }), (records) => {
        const crossed = deserialize(serialize(encodeRecords(records)));
        assert.deepStrictEqual(decodeRecords(crossed), deserialize(serialize(records)));
      }),
      { numRuns: 300 },
    );
  });

  it("keeps each repeated string once per batch", () => {
    const records: ExportRecord[] = Array.from({ length: 100 }, (_, i) => ({
      type: "message",
      message: {
        id: String(i),
        chatId: "Чат с Машей.txt",
        authorId: i % 2 ? "Аня" : "Маша",
        authorName: i % 2 ? "Аня" : "Маша",
        timestamp: i,
        text: `сообщение ${i}`,
        kind: "text",
      },
    }));
    assert.deepEqual(encodeRecords(records).strings, ["Чат с Машей.txt", "Маша", "text", "Аня"]);
  });
});
