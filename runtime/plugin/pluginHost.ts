/**
 * Runs the loaded plugins: gives each a scoped context, starts them, and isolates failures. A plugin whose
 * create()/start() throws or rejects, or that calls `context.fail()`, is stopped, logged and restarted
 * with backoff while the others keep serving.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type {
  ChannelPlugin,
  ChatMessage,
  ChatReply,
  ChatRequest,
  CloneIdentity,
  CompletionRequest,
  CorrectionRequest,
  DocumentReader,
  Embeddings,
  PluginContext,
  PluginKind,
  PluginLogger,
  RagPlugin,
  RecordedCorrection,
  StreamOptions,
  VectorStore,
} from "@aiclone/plugin-sdk";
import type { Logger } from "pino";
import type { ConversationSummary } from "../memory/conversationMemory.js";
import type { RuntimeDatabase } from "../memory/runtimeDatabase.js";
import { RagIndexer, type RagIndexerConfig } from "../rag/indexer/ragIndexer.js";
import type { LoadedPlugin } from "./pluginLoader.js";
import { SqlitePluginStorage } from "./pluginStorage.js";
import { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF } from "./restartBackoff.js";

/** What plugins reach through their context: the engine with memory and retrieval (runtime/chat). */
export interface ConversationServices {
  chat(channel: string, request: ChatRequest, options?: StreamOptions): Promise<ChatReply>;
  complete(request: CompletionRequest, options?: StreamOptions): Promise<ChatReply>;
  history(channel: string, conversationId: string): ChatMessage[];
  conversations(channel: string): ConversationSummary[];
  forget(channel: string, conversationId: string): void;
  correct(channel: string, request: CorrectionRequest): RecordedCorrection;
}

export type PluginState = "starting" | "running" | "restarting" | "failed" | "stopped";

export interface PluginStatus {
  name: string;
  kind: PluginKind;
  version: string;
  origin: string;
  state: PluginState;
  /** Restarts after failures since the runtime started. */
  restarts: number;
  lastError?: string;
  /** When the state was entered (ISO time). */
  since: string;
  nextRestartAt?: string;
  /** A RAG plugin's last index pass: when, and its counts. */
  lastIndex?: Record<string, unknown> & { at: string };
}

export interface PluginHostOptions {
  services: ConversationServices;
  db: RuntimeDatabase;
  logger: Logger;
  /** Each plugin gets `<dataDir>/plugins/<name>/`. */
  dataDir: string;
  clone: CloneIdentity;
  embeddings: Embeddings | null;
  documents: DocumentReader;
  backoff?: BackoffPolicy;
  /** A create() + start() that takes longer counts as a failure. Default 120 s. */
  startTimeoutMs?: number;
  /** stop() is waited for this long at most. Default 10 s. */
  stopTimeoutMs?: number;
  /** After this many restarts in a row the plugin is left "failed". Default: never. */
  maxConsecutiveFailures?: number;
  /**
   * A RAG plugin indexes the documents folder as soon as it runs and again this often (only changed files
   * are re-read). Default 10 minutes; 0 indexes at start only.
   */
  reindexIntervalMs?: number;
  now?: () => number;
}

type Instance = ChannelPlugin | RagPlugin;

/** Whether a kind retrieves passages: a RAG plugin, or a vector store that the runtime's indexer drives. */
export const retrieves = (kind: PluginKind): boolean => kind === "rag" || kind === "vector-store";

/** What the host runs for what create() returned: a vector store runs inside the runtime's indexer. */
function runnable(plugin: LoadedPlugin, context: PluginContext, created: unknown): Instance {
  if (plugin.definition.manifest.kind !== "vector-store") return created as Instance;
  return new RagIndexer(plugin.name, context as PluginContext<RagIndexerConfig>, created as VectorStore);
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function pluginLogger(logger: Logger): PluginLogger {
  return {
    debug: (fields, message) => logger.debug(fields, message),
    info: (fields, message) => logger.info(fields, message),
    warn: (fields, message) => logger.warn(fields, message),
    error: (fields, message) => logger.error(fields, message),
  };
}

class PluginRunner {
  state: PluginState = "stopped";
  restarts = 0;
  lastError: string | undefined;
  since: number;
  nextRestartAt: number | undefined;
  private failuresInRow = 0;
  private runningSince: number | undefined;
  /** Bumped whenever an incarnation ends, so late callbacks of an old one are ignored. */
  private incarnation = 0;
  private instance: Instance | undefined;
  private controller: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private indexTimer: NodeJS.Timeout | undefined;
  /** The last index pass of a RAG plugin, for status(). */
  lastIndex: (Record<string, unknown> & { at: string }) | undefined;
  private stopping = false;
  readonly logger: Logger;

  constructor(
    readonly plugin: LoadedPlugin,
    private readonly host: PluginHostOptions,
  ) {
    this.since = this.now();
    this.logger = host.logger.child({ plugin: plugin.name });
  }

  private now() {
    return (this.host.now ?? Date.now)();
  }

  private enter(state: PluginState) {
    this.state = state;
    this.since = this.now();
  }

  get ragInstance(): RagPlugin | undefined {
    return this.state === "running" && retrieves(this.plugin.definition.manifest.kind)
      ? (this.instance as RagPlugin)
      : undefined;
  }

  /** One incarnation: create + start; a failure schedules the next one. Resolves either way. */
  async launch(): Promise<void> {
    const id = ++this.incarnation;
    this.stopping = false;
    this.nextRestartAt = undefined;
    this.enter("starting");
    const controller = new AbortController();
    this.controller = controller;
    try {
      const dataDir = join(this.host.dataDir, "plugins", this.plugin.name);
      await mkdir(dataDir, { recursive: true });
      const context = this.context(dataDir, controller.signal, (error) => void this.failed(id, error));
      const startTimeout = this.host.startTimeoutMs ?? 120_000;
      const instance = runnable(
        this.plugin,
        context,
        await withTimeout(
          Promise.resolve().then(() => this.plugin.definition.create(context)),
          startTimeout,
          "create()",
        ),
      );
      if (id !== this.incarnation) {
        await this.stopInstance(instance);
        return;
      }
      this.instance = instance;
      await withTimeout(
        Promise.resolve().then(() => instance.start()),
        startTimeout,
        "start()",
      );
      if (id !== this.incarnation) return;
      this.enter("running");
      this.runningSince = this.now();
      this.logger.info({ restarts: this.restarts }, "plugin running");
      if (retrieves(this.plugin.definition.manifest.kind))
        this.keepIndexed(id, instance as RagPlugin, controller.signal);
    } catch (error) {
      await this.failed(id, error);
    }
  }

  /** Index now and then every reindexIntervalMs, for as long as this incarnation runs. */
  private keepIndexed(id: number, plugin: RagPlugin, signal: AbortSignal): void {
    const interval = this.host.reindexIntervalMs ?? 10 * 60_000;
    const pass = async () => {
      if (id !== this.incarnation || signal.aborted) return;
      const started = this.now();
      try {
        const report = await plugin.index({ signal });
        this.lastIndex = {
          at: new Date(this.now()).toISOString(),
          ...report,
          skipped: report.skipped.length,
        };
        this.logger.info(
          { ...this.lastIndex, ms: this.now() - started, skippedFiles: report.skipped.slice(0, 20) },
          "documents indexed",
        );
      } catch (error) {
        if (signal.aborted) return;
        // A folder that cannot be read now may be readable at the next pass; retrieval keeps the old index.
        this.logger.warn({ err: error }, "indexing the documents failed");
      }
      if (interval > 0 && id === this.incarnation && !signal.aborted) {
        this.indexTimer = setTimeout(() => void pass(), interval);
        this.indexTimer.unref();
      }
    };
    void pass();
  }

  private async failed(id: number, error: unknown): Promise<void> {
    if (id !== this.incarnation || this.stopping) return;
    this.incarnation++;
    const now = this.now();
    if (
      this.runningSince !== undefined &&
      now - this.runningSince >= (this.host.backoff ?? DEFAULT_BACKOFF).resetAfterMs
    )
      this.failuresInRow = 0;
    this.failuresInRow++;
    this.runningSince = undefined;
    this.lastError = errorMessage(error);
    this.controller?.abort(error);
    clearTimeout(this.indexTimer);
    const instance = this.instance;
    this.instance = undefined;
    this.enter("restarting");
    await this.stopInstance(instance);
    if (this.stopping) return;
    if (this.failuresInRow > (this.host.maxConsecutiveFailures ?? Number.POSITIVE_INFINITY)) {
      this.logger.error({ err: error, failuresInRow: this.failuresInRow }, "plugin failed; giving up");
      this.enter("failed");
      return;
    }
    const delay = backoffDelay(this.host.backoff ?? DEFAULT_BACKOFF, this.failuresInRow);
    this.nextRestartAt = this.now() + delay;
    this.logger.error(
      { err: error, restartInMs: delay, restarts: this.restarts },
      "plugin failed; restarting",
    );
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.restarts++;
      void this.launch();
    }, delay);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.incarnation++;
    clearTimeout(this.timer);
    clearTimeout(this.indexTimer);
    this.timer = undefined;
    this.nextRestartAt = undefined;
    this.controller?.abort(new Error("the plugin is stopping"));
    const instance = this.instance;
    this.instance = undefined;
    await this.stopInstance(instance);
    this.enter("stopped");
  }

  private async stopInstance(instance: Instance | undefined): Promise<void> {
    if (!instance) return;
    try {
      await withTimeout(
        Promise.resolve().then(() => instance.stop()),
        this.host.stopTimeoutMs ?? 10_000,
        "stop()",
      );
    } catch (error) {
      this.logger.warn({ err: error }, "plugin stop failed");
    }
  }

  private context(dataDir: string, signal: AbortSignal, fail: (error: unknown) => void): PluginContext {
    const channel = this.plugin.name;
    const services = this.host.services;
    // A restart or stop aborts what the old incarnation is still generating.
    const scoped = (options: StreamOptions = {}): StreamOptions => ({
      ...options,
      signal: options.signal ? AbortSignal.any([options.signal, signal]) : signal,
    });
    return {
      config: this.plugin.config,
      logger: pluginLogger(this.logger),
      storage: new SqlitePluginStorage(this.host.db, channel),
      dataDir,
      clone: this.host.clone,
      signal,
      chat: (request, options) => services.chat(channel, request, scoped(options)),
      complete: (request, options) => services.complete(request, scoped(options)),
      history: async (conversationId) => services.history(channel, conversationId),
      conversations: async () => services.conversations(channel),
      forget: async (conversationId) => services.forget(channel, conversationId),
      correct: async (request) => services.correct(channel, request),
      fail,
      embeddings: this.host.embeddings,
      documents: this.host.documents,
    };
  }

  status(): PluginStatus {
    const manifest = this.plugin.definition.manifest;
    return {
      name: this.plugin.name,
      kind: manifest.kind,
      version: manifest.version,
      origin: this.plugin.origin,
      state: this.state,
      restarts: this.restarts,
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      since: new Date(this.since).toISOString(),
      ...(this.nextRestartAt !== undefined
        ? { nextRestartAt: new Date(this.nextRestartAt).toISOString() }
        : {}),
      ...(this.lastIndex ? { lastIndex: this.lastIndex } : {}),
    };
  }
}

export class PluginHost {
  private readonly runners: PluginRunner[];

  constructor(plugins: readonly LoadedPlugin[], options: PluginHostOptions) {
    this.runners = plugins.map((plugin) => new PluginRunner(plugin, options));
  }

  /** Starts every plugin; resolves when each has started or failed (a failed one restarts on its own). */
  async start(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.launch()));
  }

  /** Stops channels first (no new requests), then RAG plugins. */
  async stop(): Promise<void> {
    const channels = this.runners.filter((r) => !retrieves(r.plugin.definition.manifest.kind));
    await Promise.all(channels.map((runner) => runner.stop()));
    const retrievers = this.runners.filter((r) => retrieves(r.plugin.definition.manifest.kind));
    await Promise.all(retrievers.map((runner) => runner.stop()));
  }

  status(): PluginStatus[] {
    return this.runners.map((runner) => runner.status());
  }

  /** Running RAG plugins, for retrieval on each turn. */
  retrievers(): { name: string; plugin: RagPlugin; logger: Logger }[] {
    return this.runners.flatMap((runner) => {
      const plugin = runner.ragInstance;
      return plugin ? [{ name: runner.plugin.name, plugin, logger: runner.logger }] : [];
    });
  }

  /** The RAG plugins (running or not) by name, e.g. for `index()` from the CLI. */
  ragPlugin(name: string): RagPlugin | undefined {
    return this.runners.find((runner) => runner.plugin.name === name)?.ragInstance;
  }
}
