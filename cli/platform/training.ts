import { resolve } from "node:path";
import { measureFidelity } from "aiclone-runtime/fidelity";
import { CommandHandler } from "../../infra/eventsourcing/commandHandler.js";
import { trainerPython } from "../../trainer-gateway/trainerProcess.js";
import { type FidelityInput, TrainerWorker } from "../../trainer-gateway/trainerWorker.js";
import { TrainingGateway } from "../../trainer-gateway/trainingGateway.js";
import type { TrainingJob } from "../../trainer-gateway/trainingJob.js";
import { trainerPerplexity } from "../commands/trainFidelity.js";
import type { PlatformConfig } from "../config/platformConfig.js";
import type { Adapters } from "./adapters.js";
import type { Logger } from "./logger.js";

export interface RunningTraining {
  gateway: TrainingGateway | null;
  worker: TrainerWorker | null;
  stop(): Promise<void>;
}

/** A trainer worker wired from configuration: the platform's local one, or `aiclone trainer worker`. */
export function createTrainerWorker(
  config: PlatformConfig,
  adapters: Pick<Adapters, "bus" | "artifacts">,
  logger: Logger,
  backend: "local" | "remote",
  device?: string,
): TrainerWorker {
  const { python, script, venv, extras } = config.training;
  return new TrainerWorker({
    bus: adapters.bus,
    artifacts: adapters.artifacts,
    workDir: resolve(config.dataDir, "work", "training"),
    logger: logger.child({ component: "trainer-worker" }),
    backend,
    heartbeatMs: config.training.heartbeatMs,
    checkpointEvery: config.training.checkpointEvery,
    preference: config.training.preference,
    trainer: {
      python: python ? async () => python : () => trainerPython({ venv, extras }),
      ...(script ? { script } : {}),
    },
    ...(device ? { device } : {}),
    // A stand-in trainer script (tests) writes no real adapter: nothing to generate with.
    ...(script ? {} : { measureFidelity: runtimeFidelity(logger) }),
  });
}

/** The fidelity report through the runtime; a failure to measure is reported, not a failed training. */
function runtimeFidelity(logger: Logger) {
  return async (input: FidelityInput): Promise<Record<string, unknown>> => {
    const config = (input.metrics.config ?? {}) as { eval_prompts?: number; eval_new_tokens?: number };
    try {
      const report = await measureFidelity({
        modelPath: input.modelPath,
        adapterPath: input.adapterPath,
        datasetDir: input.datasetDir,
        perplexity: trainerPerplexity(input.metrics),
        signal: input.signal,
        ...(config.eval_prompts ? { prompts: config.eval_prompts } : {}),
        ...(config.eval_new_tokens ? { maxTokens: config.eval_new_tokens } : {}),
      });
      return report as unknown as Record<string, unknown>;
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      logger.warn({ reason: detail }, "the fidelity report could not be measured");
      return { version: 1, skipped: "measurement-failed", detail };
    }
  };
}

/** The `training` role: the gateway, and on the local backend a worker in this process. */
export async function startTraining(
  config: PlatformConfig,
  adapters: Adapters,
  logger: Logger,
): Promise<RunningTraining> {
  const gateway = new TrainingGateway({
    bus: adapters.bus,
    store: adapters.eventStore,
    commands: new CommandHandler(adapters.eventStore),
    jobs: adapters.documents.collection<TrainingJob>("training_jobs"),
    logger: logger.child({ component: "trainer-gateway" }),
    leaseMs: config.training.leaseMs,
    maxAttempts: config.training.maxAttempts,
  });
  await gateway.start();
  let worker: TrainerWorker | null = null;
  try {
    if (config.training.backend === "local") {
      worker = createTrainerWorker(config, adapters, logger, "local");
      await worker.start();
    }
  } catch (error) {
    await gateway.stop();
    throw error;
  }
  return {
    gateway,
    worker,
    // The worker first, so its last reports (a checkpoint, "stopped") still reach the gateway.
    stop: async () => {
      await worker?.stop();
      await gateway.stop();
    },
  };
}
