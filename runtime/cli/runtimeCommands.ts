/**
 * `aiclone runtime start` and `aiclone chat`: the local runtime's composition root. Only here are the
 * built-in plugins named; the runtime itself never imports a plugin.
 */
import { userInfo } from "node:os";
import { createInterface } from "node:readline/promises";
import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import { BundleError } from "../bundle/loadBundle.js";
import { PromptTooLongError } from "../engine/historyTrimmer.js";
import { EngineStartError } from "../engine/llamaEngine.js";
import { EngineBusyError } from "../engine/slotPool.js";
import { createRuntimeLogger } from "../logger.js";
import type { DownloadProgress } from "../models/modelDownload.js";
import { ModelUnavailableError } from "../models/modelErrors.js";
import { PluginLoadError } from "../plugin/pluginErrors.js";
import type { BuiltinPluginRegistry } from "../plugin/pluginLoader.js";
import { type Runtime, type RuntimeOptions, startRuntime, stopOnSignals } from "../runtime.js";

const BUILTIN_PLUGINS = ["web", "telegram", "discord", "lancedb", "pinecone"] as const;
const CHANNEL_BUILTINS = ["web", "telegram", "discord"];

/**
 * Each built-in plugin is a package of its own (`@aiclone/plugin-<name>`), installed beside the runtime when
 * a bundle enables it and imported only then.
 */
export const builtinPlugins: BuiltinPluginRegistry = Object.fromEntries(
  BUILTIN_PLUGINS.map((name) => [name, () => import(`@aiclone/plugin-${name}`)]),
);

/** Errors that are the user's to fix: a message, no stack trace. */
const USER_ERRORS = [
  BundleError,
  PluginLoadError,
  ModelUnavailableError,
  EngineStartError,
  EngineBusyError,
  PromptTooLongError,
];
const isUserError = (error: unknown) => USER_ERRORS.some((type) => error instanceof type);

interface CommonOptions {
  bundle: string;
  dataDir?: string;
  cpu?: boolean;
  modelCache?: string;
  threads?: string;
}

function parseCount(option: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > max)
    throw new BundleError(`${option} must be an integer from 1 to ${max}, got '${value}'`);
  return count;
}
const parseThreads = (value: string | undefined) => parseCount("--threads", value, 1024);

function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new BundleError(`--port must be an integer from 1 to 65535, got '${value}'`);
  return port;
}

/** A download bar on stderr; stays silent when the model is already there. */
function downloadBar(): { onProgress: (p: DownloadProgress) => void; stop: () => void } {
  let bar: SingleBar | undefined;
  return {
    onProgress: (progress) => {
      const total = progress.totalBytes ?? 0;
      if (!bar) {
        bar = new SingleBar(
          {
            format: "base model [{bar}] {percentage}% | {value}/{total} MiB | {eta_formatted}",
            stream: process.stderr,
            hideCursor: true,
          },
          undefined,
        );
        bar.start(Math.max(1, Math.round(total / 2 ** 20)), Math.round(progress.receivedBytes / 2 ** 20));
        if (progress.resumedFromBytes > 0)
          process.stderr.write(`resuming at ${Math.round(progress.resumedFromBytes / 2 ** 20)} MiB\n`);
      }
      bar.update(Math.round(progress.receivedBytes / 2 ** 20));
    },
    stop: () => bar?.stop(),
  };
}

async function run(
  options: CommonOptions,
  extra: Partial<RuntimeOptions>,
  body: (runtime: Runtime) => Promise<void>,
) {
  const logger = extra.logger ?? createRuntimeLogger();
  const bar = downloadBar();
  const controller = new AbortController();
  const abortStart = () => controller.abort(new Error("interrupted"));
  process.once("SIGINT", abortStart);
  let runtime: Runtime;
  try {
    runtime = await startRuntime({
      bundleDir: options.bundle,
      dataDir: options.dataDir,
      cpu: options.cpu === true,
      modelCacheDir: options.modelCache,
      threads: parseThreads(options.threads),
      registry: builtinPlugins,
      logger,
      onDownloadProgress: bar.onProgress,
      signal: controller.signal,
      ...extra,
    });
  } finally {
    bar.stop();
    process.off("SIGINT", abortStart);
  }
  // One plugin's stray promise must not take the other plugins down with the process.
  process.on("unhandledRejection", (reason) =>
    logger.error({ err: reason }, "unhandled rejection (kept running)"),
  );
  await body(runtime);
}

async function guarded(command: string, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (!isUserError(error)) throw error;
    console.error(`aiclone ${command}: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}

export function registerRuntimeCommands(program: Command): void {
  const runtime = program
    .command("runtime")
    .description("the local runtime: a clone bundle served on your machine");
  runtime
    .command("start")
    .description("serve a bundle: download the base model once, load it with the adapter, start the plugins")
    .requiredOption("--bundle <dir>", "bundle folder (with clone.json)")
    .option("--port <n>", "port of the web plugin (default: its config, else 3000)")
    .option("--data-dir <dir>", "conversations and plugin data (default: <bundle>/data)")
    .option(
      "--model-cache <dir>",
      "base model cache (default: $AICLONE_RUNTIME_MODEL_CACHE or ~/.cache/aiclone/models)",
    )
    .option("--cpu", "run the model on the CPU even when a GPU is present")
    .option("--threads <n>", "CPU threads for the model (default: all cores)")
    .option(
      "--sequences <n>",
      "conversations generated at once, batched together (default 2; each holds the bundle's contextSize of memory)",
    )
    .action((options: CommonOptions & { port?: string; sequences?: string }) =>
      guarded("runtime start", () =>
        run(
          options,
          { port: parsePort(options.port), sequences: parseCount("--sequences", options.sequences, 64) },
          async (started) => {
            const logger = createRuntimeLogger();
            stopOnSignals(started, logger);
            for (const status of started.status())
              process.stdout.write(
                `${status.name} (${status.kind}): ${status.state}${status.lastError ? ` — ${status.lastError}` : ""}\n`,
              );
            process.stdout.write(
              `${started.bundle.manifest.persona.displayName} is running; Ctrl-C stops.\n`,
            );
            // Serves until a signal: stopOnSignals exits the process.
            await new Promise<never>(() => {});
          },
        ),
      ),
    );

  program
    .command("chat")
    .description('talk to a bundle\'s clone in the terminal (remembered under channel "terminal")')
    .requiredOption("--bundle <dir>", "bundle folder (with clone.json)")
    .option("--data-dir <dir>", "conversations and plugin data (default: <bundle>/data)")
    .option("--model-cache <dir>", "base model cache")
    .option("--conversation <id>", "conversation to continue", "default")
    .option("--name <name>", "your name, as the clone is told it (default: your login name)")
    .option("--cpu", "run the model on the CPU even when a GPU is present")
    .option("--threads <n>", "CPU threads for the model (default: all cores)")
    .action((options: CommonOptions & { conversation: string; name?: string }) =>
      guarded("chat", () =>
        run(
          options,
          // RAG plugins help the chat; channels stay off so a running `runtime start` keeps its ports.
          {
            disable: CHANNEL_BUILTINS,
            kinds: ["rag", "vector-store"],
            logger: createRuntimeLogger(process.env.AICLONE_LOG_LEVEL ?? "warn"),
          },
          (started) => terminalChat(started, options),
        ),
      ),
    );
}

async function terminalChat(
  runtime: Runtime,
  options: { conversation: string; name?: string },
): Promise<void> {
  const login = userInfo().username;
  const partner = { id: login, displayName: options.name ?? login };
  const name = runtime.bundle.manifest.persona.displayName;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  let generation: AbortController | undefined;
  // Ctrl-C stops the reply being written; at the prompt it ends the chat.
  rl.on("SIGINT", () => {
    if (generation) generation.abort(new Error("interrupted"));
    else rl.close();
  });
  process.stdout.write(`Chatting with ${name} (/forget clears this conversation, /exit or Ctrl-D ends).\n`);
  rl.setPrompt("> ");
  rl.prompt();
  try {
    // The async iterator buffers lines, so piped input is not lost while a reply is generated.
    for await (const line of rl) {
      const text = line.trim();
      if (!text) {
        rl.prompt();
        continue;
      }
      if (text === "/exit") break;
      if (text === "/forget") {
        runtime.chat.forget("terminal", options.conversation);
        process.stdout.write("(forgotten)\n");
        rl.prompt();
        continue;
      }
      generation = new AbortController();
      process.stdout.write(`${name}: `);
      try {
        const reply = await runtime.chat.chat(
          "terminal",
          { conversationId: options.conversation, partner, text },
          { signal: generation.signal, onText: (chunk) => process.stdout.write(chunk) },
        );
        const notes = reply.sources.map((s) => s.source);
        process.stdout.write(
          `${reply.finishReason === "abort" ? " [stopped]" : reply.finishReason === "length" ? " […]" : ""}\n${notes.length ? `(sources: ${notes.join(", ")})\n` : ""}`,
        );
      } catch (error) {
        if (!isUserError(error)) throw error;
        process.stdout.write(`\n(${(error as Error).message})\n`);
      } finally {
        generation = undefined;
      }
      rl.prompt();
    }
  } finally {
    rl.close();
    await runtime.stop();
  }
}
