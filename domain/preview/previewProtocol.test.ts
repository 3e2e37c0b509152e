import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type PreviewStart,
  parsePreviewPiece,
  parsePreviewRequest,
  previewMessagesProblem,
  previewPiece,
} from "./previewProtocol.js";

const start: PreviewStart = {
  schema: "aiclone.preview-request",
  version: 1,
  kind: "start",
  replyId: "r1",
  cloneId: "c1",
  adapterVersion: 2,
  adapterKey: "clones/c1/training/run1/adapter.gguf",
  baseModel: "llama-2-tiny-random",
  persona: { systemPrompt: "", language: "ru" },
  messages: [{ role: "user", content: "привет" }],
  requestedAt: "2026-12-06T20:00:00.000Z",
};
const limits = { maxMessages: 3, maxMessageChars: 10 };

describe("preview protocol", () => {
  it("round-trips a start, a cancel and each kind of piece through JSON", () => {
    const copy = (v: unknown) => JSON.parse(JSON.stringify(v));
    assert.deepEqual(parsePreviewRequest(copy(start)), start);
    const cancel = { schema: "aiclone.preview-request", version: 1, kind: "cancel", replyId: "r1" };
    assert.deepEqual(parsePreviewRequest(copy(cancel)), cancel);
    for (const piece of [
      previewPiece("r1", 0, { kind: "accepted" }),
      previewPiece("r1", 0, { kind: "text", text: "При" }),
      previewPiece("r1", 1, { kind: "done", finishReason: "stop", completionTokens: 4 }),
      previewPiece("r1", 2, { kind: "error", message: "the adapter cannot be applied" }),
    ])
      assert.deepEqual(parsePreviewPiece(copy(piece)), piece);
  });

  it("refuses another version or a malformed message, naming the field", () => {
    assert.throws(() => parsePreviewRequest({ ...start, version: 2 }), /preview request at version/);
    assert.throws(
      () => parsePreviewRequest({ ...start, messages: [{ role: "system", content: "x" }] }),
      /at messages\.0\.role/,
    );
    assert.throws(() => parsePreviewRequest({ ...start, extra: 1 }), /preview request/);
    assert.throws(
      () => parsePreviewPiece({ ...previewPiece("r", 0, { kind: "text", text: "a" }), seq: -1 }),
      /preview piece at seq/,
    );
  });

  it("accepts a conversation that ends with the user's message within the limits", () => {
    assert.equal(
      previewMessagesProblem(
        [
          { role: "user", content: "привет" },
          { role: "assistant", content: "ку" },
          { role: "user", content: "как ты?" },
        ],
        limits,
      ),
      null,
    );
  });

  it("names what is wrong with a conversation", () => {
    assert.deepEqual(previewMessagesProblem([], limits)?.field, "messages");
    assert.match(
      previewMessagesProblem(
        Array.from({ length: 4 }, () => ({ role: "user" as const, content: "a" })),
        limits,
      )?.message ?? "",
      /at most 3 messages/,
    );
    assert.deepEqual(previewMessagesProblem([{ role: "user", content: "  " }], limits), {
      field: "messages.0.content",
      message: "is empty",
    });
    assert.equal(
      previewMessagesProblem([{ role: "user", content: "x".repeat(11) }], limits)?.field,
      "messages.0.content",
    );
    assert.match(
      previewMessagesProblem(
        [
          { role: "user", content: "a" },
          { role: "assistant", content: "b" },
        ],
        limits,
      )?.message ?? "",
      /last message must be the user's/,
    );
  });
});
