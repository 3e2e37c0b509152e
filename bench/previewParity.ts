/**
 * Preview vs installed clone on real weights: `node dist/bench/previewParity.js --adapter OUT/adapter.gguf
 * [--base model.gguf] [--sequences 2]` answers a few questions with two seeds each through the platform's
 * preview role (PreviewWorker over the in-process bus, the adapter fetched from a local artifact store) and
 * through the runtime started from `bundle init` of the same adapter, and prints both replies and how many
 * are identical (docs/preview.md).
 */
import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { smollm2Path } from "@aiclone/testing/realModels";
import { startRuntime } from "aiclone-runtime";
import { initBundle } from "aiclone-runtime/bundle";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";
import { pino } from "pino";
import { PreviewEngines } from "../cli/platform/preview/previewEngines.js";
import { PreviewWorker } from "../cli/platform/preview/previewWorker.js";
import {
  PREVIEW_PIECES_TOPIC,
  PREVIEW_REQUESTS_TOPIC,
  type PreviewPiece,
  type PreviewStart,
  parsePreviewPiece,
} from "../domain/preview/previewProtocol.js";
import { LocalArtifactStore } from "../infra/blobstore/localArtifactStore.js";
import { InProcessEventBus } from "../infra/bus/inProcessEventBus.js";

const { values } = parseArgs({
  options: {
    adapter: { type: "string" },
    base: { type: "string" },
    sequences: { type: "string", default: "2" },
    threads: { type: "string", default: "2" },
  },
});
if (!values.adapter) throw new Error("--adapter <adapter.gguf> is required");
const adapter = values.adapter;
const base = values.base ?? smollm2Path();
const threads = Number(values.threads);
const questions = [
  "hey, are you coming tonight?",
  "what did you think of the movie?",
  "can you send me the notes?",
];
const ADAPTER_KEY = "clones/bench/training/run/adapter.gguf";

const dir = await mkdtemp(join(tmpdir(), "aiclone-preview-parity-"));
const llama = await getLlama({ gpu: false, logLevel: LlamaLogLevel.error });
const bus = new InProcessEventBus();
const artifacts = new LocalArtifactStore(join(dir, "artifacts"));
await artifacts.put(ADAPTER_KEY, createReadStream(adapter));
const engines = new PreviewEngines({
  maxLoadedAdapters: 1,
  memoryBytes: 2 ** 34,
  idleUnloadMs: 600_000,
  contextSize: 4096,
  sequences: Number(values.sequences),
  threads,
  gpu: false,
  llama,
});
const worker = new PreviewWorker({
  bus,
  artifacts,
  engines,
  cacheDir: join(dir, "cache"),
  startTimeoutMs: 600_000,
  baseModelFile: () => ({ path: base, sha256: null }),
  logger: pino({ level: "silent" }),
});
await worker.start();
const ends = new Map<string, { text: string; end: (piece: PreviewPiece) => void }>();
await bus.subscribe(PREVIEW_PIECES_TOPIC, { group: "bench" }, async (message) => {
  const piece = parsePreviewPiece(message.value);
  const reply = ends.get(piece.replyId);
  if (piece.kind === "text" && reply) reply.text += piece.text;
  if (piece.kind === "done" || piece.kind === "error") reply?.end(piece);
});

async function preview(replyId: string, question: string, seed: number): Promise<string> {
  const ended = new Promise<PreviewPiece>((end) => ends.set(replyId, { text: "", end }));
  const request: PreviewStart = {
    schema: "aiclone.preview-request",
    version: 1,
    kind: "start",
    replyId,
    cloneId: "bench",
    adapterVersion: 1,
    adapterKey: ADAPTER_KEY,
    baseModel: "bench",
    persona: { systemPrompt: "", language: "en" },
    messages: [{ role: "user", content: question }],
    seed,
    requestedAt: new Date().toISOString(),
  };
  await bus.publish(PREVIEW_REQUESTS_TOPIC, [{ key: replyId, value: request }]);
  const end = await ended;
  if (end.kind === "error") throw new Error(end.message);
  return ends.get(replyId)?.text ?? "";
}

const bundleDir = await initBundle({ model: base, adapter, out: join(dir, "bundle"), plugins: [] });
const runtime = await startRuntime({
  bundleDir,
  llama,
  cpu: true,
  threads,
  modelCacheDir: join(dir, "models"),
  logger: pino({ level: "silent" }),
});
let identical = 0;
let total = 0;
for (const [i, question] of questions.entries())
  for (const seed of [1 + i, 100 + i]) {
    const previewed = await preview(`r${i}-${seed}`, question, seed);
    const installed = (await runtime.chat.complete({ messages: [{ role: "user", content: question }], seed }))
      .text;
    total++;
    if (previewed === installed) identical++;
    console.log(
      `${question} (seed ${seed})\n  preview:   ${JSON.stringify(previewed)}\n  installed: ${JSON.stringify(installed)}`,
    );
  }
console.log(`identical: ${identical}/${total} (preview sequences ${values.sequences}, runtime 2)`);
await runtime.stop();
await worker.stop();
await llama.dispose();
await rm(dir, { recursive: true, force: true });
