/**
 * The runtime's plugin interface: the one thing plugins (built-in or third-party) may import. A plugin
 * module's default export is a `PluginDefinition`; the host validates its config against the
 * manifest's schema, gives it a scoped context and drives its lifecycle.
 */

import type { VectorStore } from "./vectorStore.js";

/** Semver of this interface; a plugin's `manifest.apiVersion` is a range that must include it. */
export const PLUGIN_API_VERSION = "1.3.0";

/**
 * A channel talks to people; a RAG plugin indexes and retrieves the person's documents itself; a vector store
 * only keeps chunks and vectors, and the runtime's indexer does the scanning, chunking, embedding and fusing.
 */
export type PluginKind = "channel" | "rag" | "vector-store";

/**
 * Any validator that follows the Standard Schema spec (https://standardschema.dev): zod 4, valibot,
 * arktype. Plugins bring their own validator library; the host only calls `~standard.validate`.
 */
export interface ConfigSchema<Config> {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    validate(value: unknown): StandardResult<Config> | Promise<StandardResult<Config>>;
  };
}
type StandardResult<T> =
  | { readonly value: T; readonly issues?: undefined }
  | {
      readonly issues: ReadonlyArray<{
        readonly message: string;
        readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }>;
      }>;
    };

export interface PluginManifest<Config = unknown> {
  /** Unique within a runtime; also the storage namespace and the logger's `plugin` field. */
  name: string;
  kind: PluginKind;
  /** The plugin's own version (semver). */
  version: string;
  /** Semver range of PLUGIN_API_VERSION the plugin was written for, e.g. "^1.0.0". */
  apiVersion: string;
  description?: string;
  configSchema: ConfigSchema<Config>;
}

export interface PluginLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** A persisted key → JSON value store, private to one plugin (survives restarts). */
export interface PluginStorage {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  /** Keys starting with the prefix, sorted. */
  keys(prefix?: string): Promise<string[]>;
}

/** Who the clone is talking to; the model is told the display name. */
export interface ChatPartner {
  /** Stable id within the channel (Telegram user id, Discord user id, web conversation owner). */
  id: string;
  displayName: string;
}

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface GenerationOptions {
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  /** Penalty on tokens already in the reply (1: none). */
  repeatPenalty?: number;
  /** Sampling seed, for reproducible replies. */
  seed?: number;
  stop?: string[];
}

export interface ChatRequest extends GenerationOptions {
  /** The conversation's key within this plugin (e.g. a Telegram chat id); memory is kept per channel + key. */
  conversationId: string;
  partner: ChatPartner;
  text: string;
  /** Skip retrieval over the person's documents for this turn. */
  noRetrieval?: boolean;
}

/** A stateless completion over caller-supplied messages (the OpenAI-compatible API); no memory is kept. */
export interface CompletionRequest extends GenerationOptions {
  messages: ChatMessage[];
  /** Retrieve passages for the last user message and add them to the prompt. */
  retrieval?: boolean;
}

export interface Passage {
  text: string;
  /** Where it came from: a path relative to the indexed folder (plus a page or heading when known). */
  source: string;
  score: number;
  chunkId: string;
}

export interface ChatReply {
  text: string;
  finishReason: "stop" | "length" | "abort";
  promptTokens: number;
  completionTokens: number;
  /** The passages put into the prompt, so a channel can cite them. */
  sources: Passage[];
}

export interface StreamOptions {
  signal?: AbortSignal;
  /** Called with each piece of text as the model produces it. */
  onText?: (text: string) => void;
}

export interface CloneIdentity {
  id: string;
  version: number;
  displayName: string;
  language: string;
}

/** The owner replaced a reply the clone drafted with their own words (e.g. Telegram's approve mode). */
export interface CorrectionRequest {
  /** The conversation the draft was generated in (as given to chat()). */
  conversationId: string;
  /** The clone's reply as generated. */
  draft: string;
  /** What the owner sent instead. */
  ownerText: string;
}

export interface RecordedCorrection {
  id: string;
  /** Whether the draft was found in the conversation's memory (and replaced there by the owner's text). */
  replacedInMemory: boolean;
}

export interface PluginContext<Config = unknown> {
  config: Config;
  logger: PluginLogger;
  storage: PluginStorage;
  /** A folder of the plugin's own (created on demand). */
  dataDir: string;
  clone: CloneIdentity;
  /** Aborted when the host stops or restarts the plugin. */
  signal: AbortSignal;
  /** One turn of a remembered conversation (memory per channel + conversationId). */
  chat(request: ChatRequest, options?: StreamOptions): Promise<ChatReply>;
  /** A completion over the given messages (persona prepended unless a system message is given). */
  complete(request: CompletionRequest, options?: StreamOptions): Promise<ChatReply>;
  /** Stored turns of a conversation of this channel, oldest first. */
  history(conversationId: string): Promise<ChatMessage[]>;
  /** Conversations of this channel, newest first. */
  conversations(): Promise<
    { conversationId: string; partner: ChatPartner; updatedAt: string; title: string }[]
  >;
  /** Forget a conversation of this channel (with the corrections recorded in it). */
  forget(conversationId: string): Promise<void>;
  /**
   * Since API 1.2.0. Records an owner's correction of a draft: the remembered assistant turn that holds the
   * draft becomes the owner's text (the conversation goes on from what was really sent), and the pair
   * (draft, owner's text) is kept with the turns before it, for `corrections export` and the next training.
   */
  correct(request: CorrectionRequest): Promise<RecordedCorrection>;
  /**
   * Report a failure the plugin cannot recover from (a dropped connection, an error in an event
   * handler): the host stops the plugin, logs the error and restarts it with backoff.
   */
  fail(error: unknown): void;
  /** Text embeddings configured for this runtime; null when none is (RAG then uses full-text search alone). */
  embeddings: Embeddings | null;
  /** Reads and chunks the person's documents; the same chunking for every RAG plugin. */
  documents: DocumentReader;
}

export interface Embeddings {
  /** Identifies the model, so an index built with another one is rebuilt. */
  readonly model: string;
  readonly dimensions: number;
  embed(texts: string[], signal?: AbortSignal): Promise<number[][]>;
}

export interface SourceDocument {
  /** Relative to the indexed folder, with forward slashes. */
  path: string;
  /** Hex sha256 of the file's bytes: an unchanged hash means nothing to re-index. */
  sha256: string;
  size: number;
}

export interface DocumentChunk {
  /** `<sha256 of the file>:<ordinal>`, stable while the file is unchanged. */
  chunkId: string;
  path: string;
  ordinal: number;
  text: string;
  /** A page number or heading when the format has one, for citations. */
  locator?: string;
}

/** What a scan of the documents folder found: the files to index and those it left out, with why. */
export interface DocumentScan {
  documents: SourceDocument[];
  /** Files it will not read (too large, a link leading out of the folder, unreadable), for IndexReport.skipped. */
  skipped: { path: string; reason: string }[];
}

export interface DocumentReader {
  /** Supported files (md, txt, pdf, …) under the folder, recursively, sorted by path. */
  list(folder: string): Promise<SourceDocument[]>;
  /** As list(), plus the files left out and why (optional: older readers lack it). */
  scan?(folder: string): Promise<DocumentScan>;
  /** The file's text split into chunks; throws an error naming the file when it cannot be read. */
  chunks(folder: string, document: SourceDocument): Promise<DocumentChunk[]>;
}

export interface ChannelPlugin {
  /** Connects and starts serving; resolves once it serves. Throwing here counts as a crash. */
  start(): Promise<void>;
  /** Disconnects; must resolve even when start failed half way. */
  stop(): Promise<void>;
}

export interface IndexReport {
  files: number;
  indexedFiles: number;
  unchangedFiles: number;
  removedFiles: number;
  chunks: number;
  skipped: { path: string; reason: string }[];
}

export interface RagPlugin {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Brings the index up to date with the documents folder (only changed files are re-read). */
  index(options?: {
    signal?: AbortSignal;
    onProgress?: (done: number, total: number) => void;
  }): Promise<IndexReport>;
  retrieve(query: string, options?: { limit?: number }): Promise<Passage[]>;
}

export type PluginInstance<K extends PluginKind> = K extends "channel"
  ? ChannelPlugin
  : K extends "rag"
    ? RagPlugin
    : VectorStore;

/** What a plugin module exports by default. */
export interface PluginDefinition<Config = unknown, K extends PluginKind = PluginKind> {
  manifest: PluginManifest<Config> & { kind: K };
  create(context: PluginContext<Config>): PluginInstance<K> | Promise<PluginInstance<K>>;
}

/** Identity function that gives plugin authors type inference. */
export function definePlugin<Config, K extends PluginKind>(
  definition: PluginDefinition<Config, K>,
): PluginDefinition<Config, K> {
  return definition;
}
