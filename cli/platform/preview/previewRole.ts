import { resolve } from "node:path";
import { localBaseGguf, resolveBaseModel } from "../../../trainer-gateway/baseModels.js";
import type { PlatformParts } from "../platformParts.js";
import { PreviewEngines } from "./previewEngines.js";
import { PreviewWorker } from "./previewWorker.js";

/** The `preview` role: the loaded models and the worker that answers preview requests from the bus. */
export async function startPreviewRole({
  config,
  logger,
  adapters,
  stops,
}: PlatformParts): Promise<PreviewWorker> {
  const { preview } = config;
  let worker: PreviewWorker | undefined;
  const engines = new PreviewEngines({
    maxLoadedAdapters: preview.maxLoadedAdapters,
    memoryBytes: preview.memoryMiB * 1024 ** 2,
    idleUnloadMs: preview.idleUnloadSeconds * 1000,
    contextSize: preview.contextSize,
    sequences: preview.sequences,
    ...(preview.threads ? { threads: preview.threads } : {}),
    gpu: preview.cpu ? false : "auto",
    onUnload: (adapterPath) => worker?.forget(adapterPath),
  });
  worker = new PreviewWorker({
    bus: adapters.bus,
    artifacts: adapters.artifacts,
    engines,
    baseModelFile: (name) => {
      const model = resolveBaseModel(name);
      return { path: localBaseGguf(model), sha256: model.gguf.sha256 };
    },
    cacheDir: resolve(config.dataDir, "work", "preview"),
    startTimeoutMs: preview.startTimeoutSeconds * 1000,
    logger: logger.child({ component: "preview" }),
  });
  const started = worker;
  await started.start();
  stops.push(() => started.stop());
  return started;
}
