/**
 * The runtime's composition: bundle → base model → engine → memory → plugin host → the enabled plugins.
 * Everything is checked (bundle, plugins, their configs) before the model is downloaded or loaded, so a
 * typo fails in a second, not after a 4 GB download.
 */
import { join } from "node:path";
import type { Llama } from "node-llama-cpp";
import { type LoadedBundle, loadBundle } from "./bundle/loadBundle.js";
import { ChatService } from "./chat/chatService.js";
import type { RetrievalOptions } from "./chat/passageRetrieval.js";
import { EngineStartError, LlamaEngine } from "./engine/llamaEngine.js";
import { readPromptContract } from "./engine/promptContract.js";
import { createRuntimeLogger, type RuntimeLogger } from "./logger.js";
import { ConversationMemory } from "./memory/conversationMemory.js";
import { openRuntimeDatabase } from "./memory/runtimeDatabase.js";
import type { DownloadProgress } from "./models/modelDownload.js";
import { ensureBaseModel } from "./models/modelManager.js";
import type { DocumentReader, Embeddings, PluginKind } from "./plugin/pluginApi.js";
import { PluginHost, type PluginStatus } from "./plugin/pluginHost.js";
import { type BuiltinPluginRegistry, loadEnabledPlugins, type PluginEntry } from "./plugin/pluginLoader.js";
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

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const logger = options.logger ?? createRuntimeLogger();
  const bundle = await loadBundle(options.bundleDir);
  const { manifest } = bundle;
  const dataDir = options.dataDir ?? join(bundle.dir, "data");
  const plugins = (
    await loadEnabledPlugins(pluginEntries(bundle, options), {
      registry: options.registry ?? {},
      bundleDir: bundle.dir,
    })
  ).filter((plugin) => !options.kinds || options.kinds.includes(plugin.definition.manifest.kind));
  logger.info(
    { clone: manifest.clone, plugins: plugins.map((p) => `${p.name}@${p.definition.manifest.version}`) },
    "bundle loaded",
  );

  const model = await ensureBaseModel(
    {
      name: manifest.baseModel.name,
      url: manifest.baseModel.url,
      sha256: manifest.baseModel.sha256,
      localPath: bundle.localModelPath,
    },
    {
      cacheDir: options.modelCacheDir,
      signal: options.signal,
      onProgress: options.onDownloadProgress,
      onWaitForOtherDownload: () => logger.info("another runtime is downloading the model; waiting for it"),
      onVerify: (path) => logger.info({ path }, "checking the model's sha256 (once per file)"),
    },
  );
  logger.info({ path: model.path, source: model.source }, "base model ready");

  const promptContract = bundle.adapterPath ? await readPromptContract(bundle.adapterPath) : null;
  if (promptContract?.baseSha256 && promptContract.baseSha256 !== manifest.baseModel.sha256)
    throw new EngineStartError(
      `the adapter was trained on the base model with sha256 ${promptContract.baseSha256}, but the bundle's ` +
        `base model ${manifest.baseModel.name} has sha256 ${manifest.baseModel.sha256}: it would not sound like its owner`,
    );
  const engine = await LlamaEngine.load({
    promptContract,
    modelPath: model.path,
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

  const cleanups: (() => Promise<void> | void)[] = [() => engine.close()];
  try {
    const db = openRuntimeDatabase(join(dataDir, "runtime.sqlite"));
    cleanups.push(() => {
      db.close();
    });
    const embeddings =
      options.embeddings !== undefined
        ? options.embeddings
        : await createEmbeddings(manifest.embeddings, { llama: options.llama });
    if (embeddings && options.embeddings === undefined && "close" in embeddings)
      cleanups.push(() => (embeddings as { close(): Promise<void> }).close());
    let host: PluginHost | undefined;
    const chat = new ChatService({
      engine,
      memory: new ConversationMemory(db),
      persona: manifest.persona,
      retrievers: () => host?.retrievers() ?? [],
      retrieval: options.retrieval,
    });
    host = new PluginHost(plugins, {
      services: chat,
      db,
      logger,
      dataDir,
      clone: {
        id: manifest.clone.id,
        version: manifest.clone.version,
        displayName: manifest.persona.displayName,
        language: manifest.persona.language,
      },
      embeddings,
      documents: options.documents ?? new FileDocumentReader(),
      backoff: options.backoff,
    });
    const pluginHost = host;
    await pluginHost.start();
    logger.info({ plugins: pluginHost.status().map((s) => `${s.name}: ${s.state}`) }, "runtime started");

    let stopping: Promise<void> | undefined;
    return {
      bundle,
      dataDir,
      engine,
      chat,
      plugins: pluginHost,
      status: () => pluginHost.status(),
      stop: () => {
        stopping ??= (async () => {
          await pluginHost.stop();
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
