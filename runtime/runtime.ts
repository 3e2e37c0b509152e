/**
 * The runtime's composition: bundle → base model → engine → memory → plugin host → the enabled plugins.
 * Everything is checked (bundle, plugins, their configs) before the model is downloaded or loaded, so a
 * typo fails in a second, not after a 4 GB download.
 */
import { join } from "node:path";
import type { DocumentReader, Embeddings, PluginKind } from "@aiclone/plugin-sdk";
import type { Llama } from "node-llama-cpp";
import { type LoadedBundle, loadBundle } from "./bundle/loadBundle.js";
import { ChatService } from "./chat/chatService.js";
import type { RetrievalOptions } from "./chat/passageRetrieval.js";
import { CorrectionStore } from "./corrections/correctionStore.js";
import { EngineStartError, LlamaEngine } from "./engine/llamaEngine.js";
import { readPromptContract } from "./engine/promptContract.js";
import { createRuntimeLogger, type RuntimeLogger } from "./logger.js";
import { ConversationMemory } from "./memory/conversationMemory.js";
import { openRuntimeDatabase, type RuntimeDatabase } from "./memory/runtimeDatabase.js";
import type { DownloadProgress } from "./models/modelDownload.js";
import { ensureBaseModel } from "./models/modelManager.js";
import { PluginHost, type PluginStatus } from "./plugin/pluginHost.js";
import {
  type BuiltinPluginRegistry,
  type LoadedPlugin,
  loadEnabledPlugins,
  type PluginEntry,
} from "./plugin/pluginLoader.js";
import type { BackoffPolicy } from "./plugin/restartBackoff.js";
import { createEmbeddings } from "./rag/createEmbeddings.js";
import { FileDocumentReader } from "./rag/fileDocumentReader.js";

export interface RuntimeOptions {
  bundleDir: string;
  /** Conversations, plugin storage and plugin folders. Default `<bundle>/data`. */
  dataDir?: string;
  /** Passed to the `web` plugin as `config.port`. */
  port?: number;
  /** Run the model on the CPU even when a GPU is present. */
  cpu?: boolean;
  modelCacheDir?: string;
  /** Built-in plugins by name; the composition root (cli/) fills it, the runtime never imports plugins. */
  registry?: BuiltinPluginRegistry;
  /** Names of plugins to run whatever the bundle says, and names to leave off. */
  enable?: string[];
  disable?: string[];
  /** Run only plugins of these kinds (the terminal chat runs RAG plugins, no channels). */
  kinds?: PluginKind[];
  logger?: RuntimeLogger;
  /** Shared node-llama-cpp bindings (tests); the runtime then leaves them open at stop. */
  llama?: Llama;
  sequences?: number;
  threads?: number;
  maxQueue?: number;
  /** Overrides the bundle's embeddings (null: none). */
  embeddings?: Embeddings | null;
  documents?: DocumentReader;
  retrieval?: RetrievalOptions;
  backoff?: BackoffPolicy;
  onDownloadProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
}

export interface Runtime {
  bundle: LoadedBundle;
  dataDir: string;
  engine: LlamaEngine;
  chat: ChatService;
  plugins: PluginHost;
  status(): PluginStatus[];
  /** Stops plugins (channels first), then the engine and the database. Idempotent. */
  stop(): Promise<void>;
}

/** The bundle's plugin list with the command line's --port and enable/disable applied. */
function pluginEntries(bundle: LoadedBundle, options: RuntimeOptions): PluginEntry[] {
  return bundle.manifest.plugins.map((plugin) => {
    const enabled = options.disable?.includes(plugin.name)
      ? false
      : options.enable?.includes(plugin.name)
        ? true
        : plugin.enabled;
    const config =
      plugin.name === "web" && options.port !== undefined
        ? { ...plugin.config, port: options.port }
        : plugin.config;
    return { ...plugin, enabled, config };
  });
}

/**
 * Steps: load and check the bundle and its plugins, make sure the base model is on disk, load the engine,
 * open the conversation database and the embeddings, then start the plugin host. Whatever a failed step
 * leaves open is closed again.
 */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const logger = options.logger ?? createRuntimeLogger();
  const { bundle, plugins } = await loadCheckedBundle(options, logger);
  const modelPath = await ensureModel(bundle, options, logger);
  const engine = await loadEngine(bundle, modelPath, options, logger);
  const dataDir = options.dataDir ?? join(bundle.dir, "data");
  const cleanups: Cleanup[] = [() => engine.close()];
  try {
    const db = openRuntimeDatabase(join(dataDir, "runtime.sqlite"));
    cleanups.push(() => {
      db.close();
    });
    const embeddings = await openEmbeddings(bundle, options, cleanups);
    const { chat, host } = await startPlugins({
      bundle,
      plugins,
      engine,
      db,
      embeddings,
      dataDir,
      options,
      logger,
    });
    let stopping: Promise<void> | undefined;
    return {
      bundle,
      dataDir,
      engine,
      chat,
      plugins: host,
      status: () => host.status(),
      stop: () => {
        stopping ??= (async () => {
          await host.stop();
          for (const cleanup of cleanups.reverse()) await cleanup();
          logger.info("runtime stopped");
        })();
        return stopping;
      },
    };
  } catch (error) {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => {});
    throw error;
  }
}

type Cleanup = () => Promise<void> | void;

/** The bundle and its enabled plugins (of the asked kinds), all checked before anything is downloaded. */
async function loadCheckedBundle(
  options: RuntimeOptions,
  logger: RuntimeLogger,
): Promise<{ bundle: LoadedBundle; plugins: LoadedPlugin[] }> {
  const bundle = await loadBundle(options.bundleDir);
  const plugins = (
    await loadEnabledPlugins(pluginEntries(bundle, options), {
      registry: options.registry ?? {},
      bundleDir: bundle.dir,
    })
  ).filter((plugin) => !options.kinds || options.kinds.includes(plugin.definition.manifest.kind));
  logger.info(
    {
      clone: bundle.manifest.clone,
      plugins: plugins.map((p) => `${p.name}@${p.definition.manifest.version}`),
    },
    "bundle loaded",
  );
  return { bundle, plugins };
}

/** The base model's path: the bundle's own file, the cache, or a (resumable, verified) download. */
async function ensureModel(
  bundle: LoadedBundle,
  options: RuntimeOptions,
  logger: RuntimeLogger,
): Promise<string> {
  const { baseModel } = bundle.manifest;
  const model = await ensureBaseModel(
    { name: baseModel.name, url: baseModel.url, sha256: baseModel.sha256, localPath: bundle.localModelPath },
    {
      cacheDir: options.modelCacheDir,
      signal: options.signal,
      onProgress: options.onDownloadProgress,
      onWaitForOtherDownload: () => logger.info("another runtime is downloading the model; waiting for it"),
      onVerify: (path) => logger.info({ path }, "checking the model's sha256 (once per file)"),
    },
  );
  logger.info({ path: model.path, source: model.source }, "base model ready");
  return model.path;
}

/** The engine with the bundle's adapter, refused when the adapter was trained on another base model. */
async function loadEngine(
  bundle: LoadedBundle,
  modelPath: string,
  options: RuntimeOptions,
  logger: RuntimeLogger,
): Promise<LlamaEngine> {
  const { manifest } = bundle;
  const promptContract = bundle.adapterPath ? await readPromptContract(bundle.adapterPath) : null;
  if (promptContract?.baseSha256 && promptContract.baseSha256 !== manifest.baseModel.sha256)
    throw new EngineStartError(
      `the adapter was trained on the base model with sha256 ${promptContract.baseSha256}, but the bundle's ` +
        `base model ${manifest.baseModel.name} has sha256 ${manifest.baseModel.sha256}: it would not sound like its owner`,
    );
  const engine = await LlamaEngine.load({
    promptContract,
    modelPath,
    adapterPath: bundle.adapterPath,
    gpu: options.cpu ? false : "auto",
    llama: options.llama,
    sequences: options.sequences,
    threads: options.threads,
    maxQueue: options.maxQueue,
    contextSize: manifest.generation.contextSize,
    chatTemplate: manifest.baseModel.chatTemplate,
    defaults: manifest.generation,
  });
  logger.info(
    {
      gpu: engine.gpu,
      sequences: engine.sequences,
      contextSize: engine.contextSize,
      adapter: bundle.adapterPath ?? null,
    },
    "engine ready",
  );
  return engine;
}

/** The caller's embeddings, or the bundle's (closed at stop, since the runtime opened them). */
async function openEmbeddings(
  bundle: LoadedBundle,
  options: RuntimeOptions,
  cleanups: Cleanup[],
): Promise<Embeddings | null> {
  if (options.embeddings !== undefined) return options.embeddings;
  const embeddings = await createEmbeddings(bundle.manifest.embeddings, { llama: options.llama });
  if (embeddings && "close" in embeddings)
    cleanups.push(() => (embeddings as { close(): Promise<void> }).close());
  return embeddings;
}

/** The chat service and the started plugin host; each needs the other (retrievers, services). */
async function startPlugins(parts: {
  bundle: LoadedBundle;
  plugins: LoadedPlugin[];
  engine: LlamaEngine;
  db: RuntimeDatabase;
  embeddings: Embeddings | null;
  dataDir: string;
  options: RuntimeOptions;
  logger: RuntimeLogger;
}): Promise<{ chat: ChatService; host: PluginHost }> {
  const { manifest } = parts.bundle;
  const { db, options, logger } = parts;
  let host: PluginHost | undefined;
  const chat = new ChatService({
    engine: parts.engine,
    memory: new ConversationMemory(db),
    corrections: new CorrectionStore(db),
    persona: manifest.persona,
    // Read at each question: the host exists by the time a question arrives.
    retrievers: () => host?.retrievers() ?? [],
    retrieval: options.retrieval,
  });
  host = new PluginHost(parts.plugins, {
    services: chat,
    db,
    logger,
    dataDir: parts.dataDir,
    clone: {
      id: manifest.clone.id,
      version: manifest.clone.version,
      displayName: manifest.persona.displayName,
      language: manifest.persona.language,
    },
    embeddings: parts.embeddings,
    documents: options.documents ?? new FileDocumentReader(),
    backoff: options.backoff,
  });
  await host.start();
  logger.info({ plugins: host.status().map((s) => `${s.name}: ${s.state}`) }, "runtime started");
  return { chat, host };
}

/** SIGINT/SIGTERM stop the runtime gracefully; a second signal exits at once. */
export function stopOnSignals(runtime: Pick<Runtime, "stop">, logger: RuntimeLogger): void {
  let received = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) process.exit(130);
    received = true;
    logger.info({ signal }, "stopping");
    runtime.stop().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, "stop failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}
