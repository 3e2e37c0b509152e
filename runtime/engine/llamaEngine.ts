/**
 * The inference engine: one model (with the clone's LoRA adapter) in node-llama-cpp, one context with N
 * sequences lent to conversations through a FIFO pool, replies streamed as text chunks.
 */
import { access } from "node:fs/promises";
import type { ChatMessage, GenerationOptions, StreamOptions } from "@aiclone/plugin-sdk";
import {
  type ChatHistoryItem,
  type ChatWrapper,
  getLlama,
  type Llama,
  LlamaChat,
  type LlamaContext,
  type LlamaContextSequence,
  LlamaLogLevel,
  type LlamaModel,
  resolvableChatWrapperTypeNames,
  resolveChatWrapper,
  type Token,
} from "node-llama-cpp";
import { ContractChatWrapper } from "./contractChatWrapper.js";
import { trimToBudget } from "./historyTrimmer.js";
import type { PromptContract } from "./promptContract.js";
import { SlotPool } from "./slotPool.js";

/** The engine cannot start: a missing file, an unusable adapter, an unknown chat template. */
export class EngineStartError extends Error {
  override readonly name = "EngineStartError";
}

export interface EngineOptions {
  modelPath: string;
  /** The clone's LoRA adapter (GGUF); applied to every sequence. */
  adapterPath?: string;
  /** "auto" uses a GPU when one is present (CUDA, Vulkan, Metal); false forces the CPU. */
  gpu?: "auto" | false;
  /** A node-llama-cpp instance to share (tests load the bindings once); the engine then does not dispose it. */
  llama?: Llama;
  /**
   * The base model already loaded by `llama` (the platform's preview loads each base once and applies a
   * different adapter per engine); the engine then neither loads nor disposes it. `modelPath` still names it.
   */
  model?: LlamaModel;
  /** Conversations generated at the same time. Default 2. */
  sequences?: number;
  /** Tokens per sequence (prompt + reply). */
  contextSize: number;
  /** CPU threads for evaluation; default: the cores that do the math (llama.cpuMathCores). */
  threads?: number;
  /** Requests waiting for a sequence beyond which new ones are refused. Default 64. */
  maxQueue?: number;
  /** "auto" (from the GGUF's template) or a node-llama-cpp chat wrapper name; unused with a prompt contract. */
  chatTemplate?: string;
  /** How the adapter was trained to be prompted (from its GGUF): then the engine prompts exactly so. */
  promptContract?: PromptContract | null;
  defaults: { temperature: number; topP: number; maxTokens: number; repeatPenalty?: number };
  /** No reply is ever longer, whatever a request asks. Default 4096. */
  maxTokensCap?: number;
}

export interface GenerateRequest extends GenerationOptions {
  system: string;
  /** Alternating user/assistant turns, ending with the user's new message. */
  messages: readonly ChatMessage[];
  /** Requests with the same key prefer the sequence that served it last (its tokens are reused). */
  affinityKey?: string;
}

export interface GenerateResult {
  text: string;
  finishReason: "stop" | "length" | "abort";
  /** node-llama-cpp's reason: "eogToken" when the model ended its turn with its end-of-turn token. */
  stopReason?: string;
  promptTokens: number;
  completionTokens: number;
  /** Oldest turns left out of the prompt to fit the context. */
  droppedTurns: number;
}

interface Slot {
  sequence: LlamaContextSequence;
  lastKey: string | undefined;
}

function toHistory(system: string, turns: readonly ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  if (system) history.push({ type: "system", text: system });
  for (const turn of turns) {
    if (turn.role === "user") history.push({ type: "user", text: turn.content });
    else if (turn.role === "assistant") history.push({ type: "model", response: [turn.content] });
    else history.push({ type: "system", text: turn.content });
  }
  // The empty model turn is the one LlamaChat completes.
  history.push({ type: "model", response: [] });
  return history;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

export class LlamaEngine {
  private readonly pool: SlotPool<Slot>;
  private closed = false;
  /** Aborts every generation in flight when the engine closes. */
  private readonly shutdown = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();

  private constructor(
    private readonly llama: Llama,
    private readonly ownsLlama: boolean,
    private readonly ownsModel: boolean,
    readonly model: LlamaModel,
    private readonly context: LlamaContext,
    readonly chatWrapper: ChatWrapper,
    private readonly options: EngineOptions,
  ) {
    const slots: Slot[] = [];
    for (let i = 0; i < context.totalSequences; i++)
      slots.push({ sequence: context.getSequence(), lastKey: undefined });
    this.pool = new SlotPool(slots, options.maxQueue ?? 64);
  }

  static async load(options: EngineOptions): Promise<LlamaEngine> {
    if (options.model && !options.llama)
      throw new EngineStartError("a shared model needs the llama instance that loaded it (options.llama)");
    if (!(await exists(options.modelPath)))
      throw new EngineStartError(`model file ${options.modelPath} not found`);
    if (options.adapterPath !== undefined && !(await exists(options.adapterPath)))
      throw new EngineStartError(`adapter file ${options.adapterPath} not found`);
    const template = options.chatTemplate ?? "auto";
    if (!(resolvableChatWrapperTypeNames as readonly string[]).includes(template))
      throw new EngineStartError(
        `chat template '${template}' is unknown; use "auto" or one of ${resolvableChatWrapperTypeNames.join(", ")}`,
      );

    const llama =
      options.llama ?? (await getLlama({ gpu: options.gpu ?? "auto", logLevel: LlamaLogLevel.warn }));
    let model: LlamaModel | undefined;
    try {
      model = options.model ?? (await llama.loadModel({ modelPath: options.modelPath }));
      let context: LlamaContext;
      try {
        context = await model.createContext({
          sequences: options.sequences ?? 2,
          contextSize: options.contextSize,
          // node-llama-cpp's default is llama.maxThreads, which on a 2-core VM is 4: a reply of 48 tokens from
          // SmolLM2 took 147 s there instead of 0.4 s with the 2 cores that do the math.
          threads: options.threads ?? llama.cpuMathCores,
          ...(options.adapterPath ? { lora: { adapters: [{ filePath: options.adapterPath }] } } : {}),
        });
      } catch (error) {
        throw new EngineStartError(
          options.adapterPath
            ? `the adapter ${options.adapterPath} cannot be applied to ${options.modelPath}: ${(error as Error).message}`
            : `cannot create a context of ${options.contextSize} tokens: ${(error as Error).message}`,
        );
      }
      const chatWrapper = options.promptContract
        ? new ContractChatWrapper(options.promptContract)
        : resolveChatWrapper(model, { type: template as "auto", warningLogs: false });
      return new LlamaEngine(llama, !options.llama, !options.model, model, context, chatWrapper, options);
    } catch (error) {
      if (!options.model) await model?.dispose();
      if (!options.llama) await llama.dispose();
      throw error;
    }
  }

  get contextSize(): number {
    return this.context.contextSize;
  }
  get sequences(): number {
    return this.context.totalSequences;
  }
  get gpu(): string | false {
    return this.llama.gpu;
  }
  get queued(): number {
    return this.pool.waiting;
  }

  /** The token ids the engine sends for this conversation, chat template and BOS included. */
  promptTokens(system: string, turns: readonly ChatMessage[]): Token[] {
    const { contextText } = this.chatWrapper.generateContextState({ chatHistory: toHistory(system, turns) });
    return contextText.tokenize(this.model.tokenizer);
  }

  /** Exact size of the formatted prompt, chat template included. */
  countPromptTokens(system: string, turns: readonly ChatMessage[]): number {
    return this.promptTokens(system, turns).length;
  }

  /** The reply length a request gets: its ask or the default, never past the cap or half the context. */
  maxTokensFor(requested: number | undefined): number {
    const cap = Math.min(this.options.maxTokensCap ?? 4096, Math.floor(this.contextSize / 2));
    return Math.max(1, Math.min(requested ?? this.options.defaults.maxTokens, cap));
  }

  async generate(request: GenerateRequest, stream: StreamOptions = {}): Promise<GenerateResult> {
    if (this.closed) throw new Error("the engine is closed");
    const running = this.run(request, stream);
    this.inFlight.add(running);
    try {
      return await running;
    } finally {
      this.inFlight.delete(running);
    }
  }

  private async run(request: GenerateRequest, stream: StreamOptions): Promise<GenerateResult> {
    const maxTokens = this.maxTokensFor(request.maxTokens);
    const trimmed = trimToBudget(request.system, request.messages, this.contextSize - maxTokens, (s, t) =>
      this.countPromptTokens(s, t),
    );
    const signal = stream.signal
      ? AbortSignal.any([stream.signal, this.shutdown.signal])
      : this.shutdown.signal;
    const aborted = (): GenerateResult => ({
      text: "",
      finishReason: "abort",
      promptTokens: trimmed.tokens,
      completionTokens: 0,
      droppedTurns: trimmed.droppedTurns,
    });
    if (signal.aborted) return aborted();
    let lease: Awaited<ReturnType<SlotPool<Slot>["acquire"]>>;
    try {
      // The conversation's own sequence when it is free, else the first free one. (Choosing by the longest
      // cached prompt start changed the installed SmolLM2 clone's replies in the real-weights test, which is
      // not understood yet: docs/benchmarks.md, "Local runtime".)
      lease = await this.pool.acquire(signal, (slot) => slot.lastKey === request.affinityKey);
    } catch (error) {
      if (signal.aborted) return aborted();
      throw error;
    }
    const slot = lease.slot;
    slot.lastKey = request.affinityKey;
    const chat = new LlamaChat({ contextSequence: slot.sequence, chatWrapper: this.chatWrapper });
    const repeatPenalty = request.repeatPenalty ?? this.options.defaults.repeatPenalty ?? 1;
    let text = "";
    let completionTokens = 0;
    try {
      const response = await chat.generateResponse(toHistory(request.system, trimmed.turns), {
        maxTokens,
        temperature: request.temperature ?? this.options.defaults.temperature,
        topP: request.topP ?? this.options.defaults.topP,
        ...(repeatPenalty !== 1 ? { repeatPenalty: { penalty: repeatPenalty } } : {}),
        ...(request.seed !== undefined ? { seed: request.seed } : {}),
        signal,
        stopOnAbortSignal: true,
        customStopTriggers: request.stop?.filter((s) => s.length > 0),
        onToken: (tokens) => {
          completionTokens += tokens.length;
        },
        onTextChunk: (chunk) => {
          text += chunk;
          stream.onText?.(chunk);
        },
      });
      const reason = response.metadata.stopReason;
      return {
        text: response.response,
        finishReason: reason === "maxTokens" ? "length" : reason === "abort" ? "abort" : "stop",
        stopReason: reason,
        promptTokens: trimmed.tokens,
        completionTokens,
        droppedTurns: trimmed.droppedTurns,
      };
    } catch (error) {
      // Aborted before the first token: node-llama-cpp throws the signal's reason.
      if (signal.aborted) return { ...aborted(), text, completionTokens };
      // The sequence's state is unknown after a failure: the next user must not reuse its tokens.
      slot.lastKey = undefined;
      await slot.sequence.clearHistory().catch(() => {});
      throw error;
    } finally {
      chat.dispose({ disposeSequence: false });
      lease.release();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.pool.close(new Error("the engine is closing"));
    this.shutdown.abort(new Error("the engine is closing"));
    await Promise.allSettled([...this.inFlight]);
    await this.context.dispose();
    if (this.ownsModel) await this.model.dispose();
    if (this.ownsLlama) await this.llama.dispose();
  }
}
