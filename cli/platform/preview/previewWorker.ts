/**
 * The `preview` role: answers the API's preview requests from the bus with the trained adapter version
 * (fetched once from the artifact store into a local cache), through the runtime's engine and system
 * prompt, and sends the reply back in pieces. Each request is answered by one process of the role
 * (a shared consumer group); a cancel has the same key, so it reaches the process that runs the reply.
 */
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { access, mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { buildSystemPrompt } from "aiclone-runtime";
import {
  PREVIEW_PIECES_TOPIC,
  PREVIEW_REQUESTS_TOPIC,
  PREVIEW_WORKER_GROUP,
  type PreviewStart,
  parsePreviewRequest,
  previewPiece,
} from "../../../domain/preview/previewProtocol.js";
import type { ArtifactStore } from "../../../infra/blobstore/artifactStore.js";
import type { EventBus, Subscription } from "../../../infra/bus/eventBus.js";
import type { Logger } from "../logger.js";
import type { BaseModelFile, PreviewEngines } from "./previewEngines.js";

export interface PreviewWorkerOptions {
  bus: EventBus;
  artifacts: ArtifactStore;
  engines: PreviewEngines;
  /** The base model's local GGUF by registry name; throws saying why there is none. */
  baseModelFile: (name: string) => BaseModelFile;
  /** Where fetched adapters are kept while the role runs (emptied at start and stop). */
  cacheDir: string;
  /** A request older than this is dropped: its API has already told the user no one answered. */
  startTimeoutMs: number;
  logger: Logger;
}

/** Publishes a reply's pieces in order; text arriving while one is being published goes out with the next. */
class PieceSender {
  private seq = 0;
  private pending = "";
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly bus: EventBus,
    private readonly replyId: string,
  ) {}

  text(chunk: string): void {
    this.pending += chunk;
    this.flushing ??= this.flush();
  }

  accepted(): Promise<void> {
    return this.send({ kind: "accepted" });
  }

  async end(
    body:
      | { kind: "done"; finishReason: "stop" | "length" | "abort"; completionTokens: number }
      | { kind: "error"; message: string },
  ): Promise<void> {
    await this.flushing;
    await this.send(body);
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending) {
        const text = this.pending;
        this.pending = "";
        await this.send({ kind: "text", text });
      }
    } finally {
      this.flushing = null;
    }
  }

  private send(body: Parameters<typeof previewPiece>[2]): Promise<void> {
    const piece = previewPiece(this.replyId, this.seq++, body);
    return this.bus.publish(PREVIEW_PIECES_TOPIC, [{ key: this.replyId, value: piece }]);
  }
}

export class PreviewWorker {
  private subscription: Subscription | undefined;
  private readonly running = new Map<string, AbortController>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly downloads = new Map<string, Promise<string>>();

  constructor(private readonly options: PreviewWorkerOptions) {}

  async start(): Promise<void> {
    await rm(this.options.cacheDir, { recursive: true, force: true });
    await mkdir(this.options.cacheDir, { recursive: true });
    this.subscription = await this.options.bus.subscribe(
      PREVIEW_REQUESTS_TOPIC,
      // `earliest` for a group's first start, so no request is missed while it joins; requests older than
      // the API's timeout (already failed there) are dropped below.
      { group: PREVIEW_WORKER_GROUP, maxAttempts: 1, startFrom: "earliest" },
      async (message) => {
        const request = parsePreviewRequest(message.value);
        if (request.kind === "cancel") {
          this.running.get(request.replyId)?.abort(new Error("cancelled"));
          return;
        }
        if (Date.now() - Date.parse(request.requestedAt) > this.options.startTimeoutMs) return;
        // Not awaited: the bus goes on delivering (cancels among them) while the reply is generated.
        const answering = this.answer(request);
        this.inFlight.add(answering);
        void answering.finally(() => this.inFlight.delete(answering));
      },
    );
  }

  private async answer(request: PreviewStart): Promise<void> {
    const log = this.options.logger.child({ replyId: request.replyId, cloneId: request.cloneId });
    const sender = new PieceSender(this.options.bus, request.replyId);
    const abort = new AbortController();
    this.running.set(request.replyId, abort);
    try {
      await sender.accepted();
      const base = this.options.baseModelFile(request.baseModel);
      const adapterPath = await this.adapterFile(request.adapterKey);
      const lease = await this.options.engines.lease(base, adapterPath);
      try {
        const result = await lease.engine.generate(
          {
            // What the installed clone is told: the persona's prompt, else the one the adapter was trained with.
            system: buildSystemPrompt({
              persona: request.persona.systemPrompt.trim() || lease.contract?.systemPrompt || "",
              language: request.persona.language,
            }),
            messages: request.messages,
            ...(request.seed !== undefined ? { seed: request.seed } : {}),
          },
          { signal: abort.signal, onText: (chunk) => sender.text(chunk) },
        );
        await sender.end({
          kind: "done",
          finishReason: result.finishReason,
          completionTokens: result.completionTokens,
        });
        log.info({ tokens: result.completionTokens, finish: result.finishReason }, "preview reply sent");
      } finally {
        lease.release();
      }
    } catch (error) {
      log.warn({ err: error }, "preview reply failed");
      await sender.end({ kind: "error", message: (error as Error).message }).catch(() => {});
    } finally {
      this.running.delete(request.replyId);
    }
  }

  /** Forgets an adapter's local copy once its engine is unloaded (PreviewEngines' onUnload). */
  async forget(adapterPath: string): Promise<void> {
    for (const [key, file] of this.downloads)
      if ((await file.catch(() => null)) === adapterPath) this.downloads.delete(key);
    await rm(adapterPath, { force: true });
  }

  /** The adapter's local copy, fetched from the artifact store on first use. */
  private adapterFile(key: string): Promise<string> {
    let file = this.downloads.get(key);
    if (!file) {
      file = this.download(key);
      this.downloads.set(key, file);
      file.catch(() => this.downloads.delete(key));
    }
    return file;
  }

  private async download(key: string): Promise<string> {
    const path = join(this.options.cacheDir, `${createHash("sha256").update(key).digest("hex")}.gguf`);
    const exists = await access(path).then(
      () => true,
      () => false,
    );
    if (exists) return path;
    const partial = `${path}.partial`;
    await pipeline(await this.options.artifacts.get(key), createWriteStream(partial));
    await rename(partial, path);
    return path;
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    for (const abort of this.running.values()) abort.abort(new Error("the preview is stopping"));
    await Promise.allSettled([...this.inFlight]);
    await this.options.engines.close();
    await rm(this.options.cacheDir, { recursive: true, force: true });
  }
}
