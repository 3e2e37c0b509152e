/**
 * One turn of a conversation: memory in, retrieval, the persona's system prompt, the engine, memory out.
 * This is what a plugin's `context.chat()` and `context.complete()` run.
 */

import type {
  ChatMessage,
  ChatReply,
  ChatRequest,
  CompletionRequest,
  CorrectionRequest,
  Passage,
  RecordedCorrection,
  StreamOptions,
} from "@aiclone/plugin-sdk";
import type { CorrectionStore } from "../corrections/correctionStore.js";
import type { GenerateResult, LlamaEngine } from "../engine/llamaEngine.js";
import type { ConversationMemory, ConversationSummary } from "../memory/conversationMemory.js";
import type { ConversationServices } from "../plugin/pluginHost.js";
import { type RetrievalOptions, type Retriever, retrievePassages } from "./passageRetrieval.js";
import { buildSystemPrompt } from "./systemPrompt.js";

export interface ChatServiceOptions {
  engine: Pick<LlamaEngine, "generate">;
  memory: ConversationMemory;
  /** The owner's corrections of drafts (context.correct()). */
  corrections: CorrectionStore;
  persona: { systemPrompt: string; language: string };
  /** Late-bound: the running RAG plugins at the time of each turn. */
  retrievers: () => readonly Retriever[];
  retrieval?: RetrievalOptions;
  /** Turns read from memory per conversation before trimming to the context. Default 200. */
  historyLimit?: number;
}

export class ChatRequestError extends Error {
  override readonly name = "ChatRequestError";
}

const reply = (result: GenerateResult, sources: Passage[]): ChatReply => ({
  text: result.text,
  finishReason: result.finishReason,
  promptTokens: result.promptTokens,
  completionTokens: result.completionTokens,
  sources,
});

export class ChatService implements ConversationServices {
  constructor(private readonly options: ChatServiceOptions) {}

  private retrieve(query: string): Promise<Passage[]> {
    return retrievePassages(query, this.options.retrievers(), this.options.retrieval);
  }

  async chat(channel: string, request: ChatRequest, stream: StreamOptions = {}): Promise<ChatReply> {
    if (typeof request.text !== "string" || !request.text.trim())
      throw new ChatRequestError("chat: text must be a non-empty string");
    if (!request.conversationId) throw new ChatRequestError("chat: conversationId is required");
    if (!request.partner?.id) throw new ChatRequestError("chat: partner.id is required");
    const history = this.options.memory.history(channel, request.conversationId, this.options.historyLimit);
    const sources = request.noRetrieval ? [] : await this.retrieve(request.text);
    const system = buildSystemPrompt({
      persona: this.options.persona.systemPrompt,
      language: this.options.persona.language,
      partner: request.partner,
      passages: sources,
    });
    const result = await this.options.engine.generate(
      {
        system,
        messages: [...history, { role: "user", content: request.text }],
        maxTokens: request.maxTokens,
        temperature: request.temperature,
        topP: request.topP,
        stop: request.stop,
        affinityKey: `${channel}\u0000${request.conversationId}`,
      },
      stream,
    );
    // An aborted turn keeps the user's message (and what was said so far), so nothing they wrote is lost.
    this.options.memory.recordExchange(
      channel,
      request.conversationId,
      request.partner,
      request.text,
      result.text.trim() ? result.text : undefined,
    );
    return reply(result, sources);
  }

  async complete(request: CompletionRequest, stream: StreamOptions = {}): Promise<ChatReply> {
    if (!Array.isArray(request.messages) || request.messages.length === 0)
      throw new ChatRequestError("complete: messages must be a non-empty array");
    request.messages.forEach((message, i) => {
      if (!["system", "user", "assistant"].includes(message?.role) || typeof message.content !== "string")
        throw new ChatRequestError(
          `complete: messages.${i}: expected { role: system|user|assistant, content: string }`,
        );
    });
    const systemMessages = request.messages.filter((m) => m.role === "system").map((m) => m.content);
    const turns: ChatMessage[] = request.messages.filter((m) => m.role !== "system");
    if (turns.length === 0) throw new ChatRequestError("complete: messages need at least one user message");
    const lastUser = [...turns].reverse().find((m) => m.role === "user");
    const sources = request.retrieval && lastUser ? await this.retrieve(lastUser.content) : [];
    const system = buildSystemPrompt({
      persona: systemMessages.length > 0 ? systemMessages.join("\n\n") : this.options.persona.systemPrompt,
      language: this.options.persona.language,
      passages: sources,
    });
    const result = await this.options.engine.generate(
      {
        system,
        messages: turns,
        maxTokens: request.maxTokens,
        temperature: request.temperature,
        topP: request.topP,
        repeatPenalty: request.repeatPenalty,
        seed: request.seed,
        stop: request.stop,
      },
      stream,
    );
    return reply(result, sources);
  }

  history(channel: string, conversationId: string): ChatMessage[] {
    return this.options.memory.history(channel, conversationId, this.options.historyLimit);
  }

  conversations(channel: string): ConversationSummary[] {
    return this.options.memory.conversations(channel);
  }

  forget(channel: string, conversationId: string): void {
    this.options.memory.forget(channel, conversationId);
  }

  correct(channel: string, request: CorrectionRequest): RecordedCorrection {
    return this.options.corrections.record(channel, request);
  }
}
