import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Passage, RagPlugin, StreamOptions } from "@aiclone/plugin-sdk";
import { CorrectionStore } from "../../corrections/correctionStore.js";
import type { GenerateRequest, GenerateResult } from "../../engine/llamaEngine.js";
import { ConversationMemory } from "../../memory/conversationMemory.js";
import { openRuntimeDatabase, type RuntimeDatabase } from "../../memory/runtimeDatabase.js";
import { ChatService } from "../chatService.js";
import type { Retriever } from "../passageRetrieval.js";

/** Records what the model would have been given and answers with a fixed text. */
class RecordingEngine {
  requests: GenerateRequest[] = [];
  async generate(request: GenerateRequest, stream: StreamOptions = {}): Promise<GenerateResult> {
    this.requests.push(request);
    stream.onText?.("Да, ");
    stream.onText?.("конечно.");
    return {
      text: "Да, конечно.",
      finishReason: "stop",
      promptTokens: 10,
      completionTokens: 3,
      droppedTurns: 0,
    };
  }
}

const passage = (source: string, score: number): Passage => ({
  text: `текст из ${source}`,
  source,
  score,
  chunkId: `${source}:0`,
});

const rag = (name: string, retrieve: RagPlugin["retrieve"]): Retriever & { warnings: string[] } => {
  const warnings: string[] = [];
  return {
    name,
    warnings,
    logger: { warn: (_fields, message) => warnings.push(message) },
    plugin: {
      start: async () => {},
      stop: async () => {},
      index: async () => ({
        files: 0,
        indexedFiles: 0,
        unchangedFiles: 0,
        removedFiles: 0,
        chunks: 0,
        skipped: [],
      }),
      retrieve,
    },
  };
};

describe("ChatService", () => {
  let dir: string;
  let db: RuntimeDatabase;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "aiclone-chat-"));
    db = openRuntimeDatabase(join(dir, "runtime.sqlite"));
  });
  after(async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("remembers the conversation, names the partner and cites merged passages", async () => {
    const engine = new RecordingEngine();
    const fast = rag("lancedb", async () => [passage("a.md", 0.5), passage("b.md", 0.9)]);
    const failing = rag("pinecone", async () => {
      throw new Error("503 from the index");
    });
    const slow = rag("slow", () => new Promise(() => {}));
    const service = new ChatService({
      engine,
      memory: new ConversationMemory(db),
      corrections: new CorrectionStore(db),
      persona: { systemPrompt: "Ты — Пётр.", language: "ru" },
      retrievers: () => [fast, failing, slow],
      retrieval: { limit: 2, timeoutMs: 50 },
    });
    const partner = { id: "42", displayName: "Мария" };
    const chunks: string[] = [];
    const first = await service.chat(
      "telegram",
      { conversationId: "chat-1", partner, text: "Когда поезд?" },
      { onText: (t) => chunks.push(t) },
    );
    assert.equal(chunks.join(""), first.text);
    assert.deepEqual(
      first.sources.map((s) => s.source),
      ["b.md", "a.md"],
    );
    assert.deepEqual(failing.warnings, ["retrieval skipped for this turn"]);
    assert.deepEqual(slow.warnings, ["retrieval skipped for this turn"]);
    const system = engine.requests[0]?.system ?? "";
    assert.match(system, /^Ты — Пётр\.\n\nТвой собеседник: «Мария»\./);
    assert.match(
      system,
      /\[1\] \(источник: b\.md\)\n<passage>\nтекст из b\.md\n<\/passage>\n\n\[2\] \(источник: a\.md\)/,
    );

    await service.chat("telegram", {
      conversationId: "chat-1",
      partner,
      text: "А обратно?",
      noRetrieval: true,
    });
    assert.deepEqual(engine.requests[1]?.messages, [
      { role: "user", content: "Когда поезд?" },
      { role: "assistant", content: "Да, конечно." },
      { role: "user", content: "А обратно?" },
    ]);
    assert.doesNotMatch(engine.requests[1]?.system ?? "", /источник/);
    assert.equal(service.history("telegram", "chat-1").length, 4);
    assert.equal(service.conversations("telegram")[0]?.partner.displayName, "Мария");
    assert.deepEqual(service.history("discord", "chat-1"), []);
    // The owner's correction of the newest draft is what the conversation goes on from.
    const corrected = service.correct("telegram", {
      conversationId: "chat-1",
      draft: "Да, конечно.",
      ownerText: "в 7:40, с третьей платформы",
    });
    assert.equal(corrected.replacedInMemory, true);
    assert.deepEqual(service.history("telegram", "chat-1").at(-1), {
      role: "assistant",
      content: "в 7:40, с третьей платформы",
    });
    assert.deepEqual(service.history("telegram", "chat-1")[1], {
      role: "assistant",
      content: "Да, конечно.",
    });
  });

  it("completes stateless requests with the caller's system prompt or the persona", async () => {
    const engine = new RecordingEngine();
    const memory = new ConversationMemory(db);
    const service = new ChatService({
      engine,
      memory,
      corrections: new CorrectionStore(db),
      persona: { systemPrompt: "You are Pyotr.", language: "en" },
      retrievers: () => [rag("docs", async (query) => [passage(`q=${query}`, 1)])],
    });
    await service.complete({ messages: [{ role: "user", content: "hi" }] });
    assert.equal(engine.requests[0]?.system, "You are Pyotr.");
    const reply = await service.complete({
      messages: [
        { role: "system", content: "Be terse." },
        { role: "user", content: "first" },
        { role: "assistant", content: "ok" },
        { role: "user", content: "Где отчёт?" },
      ],
      retrieval: true,
    });
    assert.match(engine.requests[1]?.system ?? "", /^Be terse\.\n\n## From your documents/);
    assert.equal(reply.sources[0]?.source, "q=Где отчёт?");
    assert.equal(engine.requests[1]?.messages.length, 3);
    await assert.rejects(service.complete({ messages: [] }), /messages must be a non-empty array/);
    await assert.rejects(
      service.complete({ messages: [{ role: "tool" as "user", content: "x" }] }),
      /messages\.0: expected/,
    );
    await assert.rejects(
      service.chat("web", { conversationId: "1", partner: { id: "p", displayName: "P" }, text: "  " }),
      /text must be a non-empty string/,
    );
  });
});
