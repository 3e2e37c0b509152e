/**
 * A test double of the runtime's PluginContext for channel plugin tests: chat() and complete() stream a
 * deterministic Cyrillic reply through onText piece by piece (with a small delay, so a test can abort in
 * the middle), memory and storage are in-process maps. Every call is recorded for assertions.
 */
import type {
  ChatMessage,
  ChatPartner,
  ChatReply,
  ChatRequest,
  CompletionRequest,
  ConfigSchema,
  CorrectionRequest,
  Passage,
  PluginContext,
  PluginStorage,
  StreamOptions,
} from "../index.js";

export interface LogEntry {
  level: "debug" | "info" | "warn" | "error";
  fields: Record<string, unknown>;
  message: string;
}

/** Storage that outlives a plugin instance: pass the same one to a second context to simulate a restart. */
export class MemoryPluginStorage implements PluginStorage {
  readonly values = new Map<string, string>();
  async get<T = unknown>(key: string): Promise<T | undefined> {
    const raw = this.values.get(key);
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }
  async set(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.stringify(value));
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
  async keys(prefix = ""): Promise<string[]> {
    return [...this.values.keys()].filter((k) => k.startsWith(prefix)).sort();
  }
}

export interface FakeReplyScript {
  /** The reply's pieces, streamed in order; by default an echo in Russian. */
  pieces: (request: { text: string; partnerName?: string }) => string[];
  /** Delay before each piece, ms. */
  pieceDelayMs: number;
  /** The passages "retrieved" for a turn or a completion that asks for retrieval; none by default. */
  passages: Passage[];
}

interface StoredConversation {
  partner: ChatPartner;
  updatedAt: string;
  turns: ChatMessage[];
}

export const defaultPieces = (request: { text: string }): string[] => [
  "Привет",
  ", ",
  "это ",
  "клон",
  ". Ты написал: ",
  request.text,
];

export interface FakeContextOptions<Config> {
  config: Config;
  storage?: MemoryPluginStorage;
  script?: Partial<FakeReplyScript>;
}

export interface FakeContext<Config> extends PluginContext<Config> {
  readonly logs: LogEntry[];
  readonly chatRequests: ChatRequest[];
  readonly completionRequests: CompletionRequest[];
  /** Generations whose signal was aborted before they finished. */
  readonly aborted: string[];
  readonly failures: unknown[];
  readonly controller: AbortController;
  readonly memory: Map<string, StoredConversation>;
  /** Corrections recorded through correct(), in order. */
  readonly corrections: (CorrectionRequest & { id: string; replacedInMemory: boolean })[];
  script: FakeReplyScript;
}

/** Streams the pieces; resolves with the text produced so far when the signal aborts (as the engine does). */
async function streamPieces(
  pieces: string[],
  delayMs: number,
  options: StreamOptions | undefined,
): Promise<{ text: string; aborted: boolean }> {
  let text = "";
  for (const piece of pieces) {
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    if (options?.signal?.aborted) return { text, aborted: true };
    text += piece;
    options?.onText?.(piece);
  }
  return { text, aborted: false };
}

const tokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

export function createFakeContext<Config>(options: FakeContextOptions<Config>): FakeContext<Config> {
  const logs: LogEntry[] = [];
  const log =
    (level: LogEntry["level"]) =>
    (fields: Record<string, unknown>, message: string): void => {
      logs.push({ level, fields, message });
    };
  const controller = new AbortController();
  const memory = new Map<string, StoredConversation>();
  const chatRequests: ChatRequest[] = [];
  const completionRequests: CompletionRequest[] = [];
  const aborted: string[] = [];
  const failures: unknown[] = [];
  const corrections: FakeContext<Config>["corrections"] = [];

  const context: FakeContext<Config> = {
    config: options.config,
    logger: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") },
    storage: options.storage ?? new MemoryPluginStorage(),
    dataDir: "/nonexistent/fake-plugin-data",
    clone: { id: "anna-clone", version: 3, displayName: "Анна", language: "ru" },
    signal: controller.signal,
    logs,
    chatRequests,
    completionRequests,
    aborted,
    failures,
    controller,
    memory,
    corrections,
    script: { pieces: defaultPieces, pieceDelayMs: 5, passages: [], ...options.script },

    async chat(request: ChatRequest, streamOptions?: StreamOptions): Promise<ChatReply> {
      chatRequests.push(request);
      const pieces = context.script.pieces({ text: request.text, partnerName: request.partner.displayName });
      const { text, aborted: wasAborted } = await streamPieces(
        pieces,
        context.script.pieceDelayMs,
        streamOptions,
      );
      if (wasAborted) aborted.push(request.conversationId);
      const stored = memory.get(request.conversationId) ?? {
        partner: request.partner,
        updatedAt: "",
        turns: [],
      };
      stored.partner = request.partner;
      stored.updatedAt = new Date().toISOString();
      stored.turns.push({ role: "user", content: request.text }, { role: "assistant", content: text });
      memory.set(request.conversationId, stored);
      return {
        text,
        finishReason: wasAborted ? "abort" : "stop",
        promptTokens: tokens(request.text),
        completionTokens: tokens(text),
        sources: request.noRetrieval ? [] : [...context.script.passages],
      };
    },

    async complete(request: CompletionRequest, streamOptions?: StreamOptions): Promise<ChatReply> {
      completionRequests.push(request);
      const last = request.messages.at(-1)?.content ?? "";
      const pieces = context.script.pieces({ text: last });
      const { text, aborted: wasAborted } = await streamPieces(
        pieces,
        context.script.pieceDelayMs,
        streamOptions,
      );
      if (wasAborted) aborted.push("completion");
      return {
        text,
        finishReason: wasAborted ? "abort" : "stop",
        promptTokens: tokens(request.messages.map((m) => m.content).join("\n")),
        completionTokens: tokens(text),
        sources: request.retrieval ? [...context.script.passages] : [],
      };
    },

    async history(conversationId: string): Promise<ChatMessage[]> {
      return [...(memory.get(conversationId)?.turns ?? [])];
    },

    async conversations() {
      return [...memory.entries()]
        .map(([conversationId, c]) => ({
          conversationId,
          partner: c.partner,
          updatedAt: c.updatedAt,
          title: c.turns[0]?.content.slice(0, 40) ?? "",
        }))
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    },

    async forget(conversationId: string): Promise<void> {
      memory.delete(conversationId);
    },

    async correct(request: CorrectionRequest) {
      // As the runtime does: the newest assistant turn holding the draft becomes the owner's text.
      const turns = memory.get(request.conversationId)?.turns ?? [];
      const index = turns.findLastIndex((t) => t.role === "assistant" && t.content === request.draft);
      if (index >= 0) turns[index] = { role: "assistant", content: request.ownerText };
      const recorded = { id: `correction-${corrections.length + 1}`, replacedInMemory: index >= 0 };
      corrections.push({ ...request, ...recorded });
      return recorded;
    },

    fail(error: unknown): void {
      failures.push(error);
    },

    embeddings: null,
    documents: {
      async list() {
        return [];
      },
      async chunks() {
        return [];
      },
    },
  };
  return context;
}

/** Validates a config through the manifest's Standard Schema, as the host does; throws naming the fields. */
export async function parseConfig<Config>(schema: ConfigSchema<Config>, value: unknown): Promise<Config> {
  const result = await schema["~standard"].validate(value);
  if (result.issues) {
    const key = (p: PropertyKey | { readonly key: PropertyKey }) =>
      String(typeof p === "object" && p !== null ? p.key : p);
    const described = result.issues.map((i) => `${(i.path ?? []).map(key).join(".")}: ${i.message}`);
    throw new Error(`invalid config: ${described.join("; ")}`);
  }
  return result.value;
}
