/**
 * Preview replies on the API's side: checks the clone is the caller's and the adapter version exists,
 * applies the per-owner limits, sends the request to the `preview` role over the bus and hands the reply's
 * pieces to its subscriber. The pieces of a reply are kept by the API process that started it until a
 * while after it ended (preview.keepEndedSeconds), so a subscription opened just after the mutation misses none.
 */
import { randomUUID } from "node:crypto";
import { trainingRunStatusOf } from "../../domain/index.js";
import {
  PREVIEW_PIECES_TOPIC,
  PREVIEW_REQUESTS_TOPIC,
  type PreviewMessage,
  type PreviewMessageLimits,
  type PreviewPiece,
  type PreviewStart,
  parsePreviewPiece,
  previewMessagesProblem,
  previewPiece,
} from "../../domain/preview/previewProtocol.js";
import type { EventBus, Subscription } from "../../infra/bus/eventBus.js";
import type { CloneView } from "../../projections/views.js";
import type { AuthPrincipal } from "../auth/authenticator.js";
import { apiError } from "../errors.js";
import { AsyncQueue } from "../subscriptions/asyncQueue.js";
import { PreviewLimiter, type PreviewReplyLimits } from "./previewLimits.js";

export interface PreviewServiceOptions {
  bus: EventBus;
  /** The caller's clone, NOT_FOUND for anyone else's (CloneService.require). */
  requireClone: (principal: AuthPrincipal, cloneId: string) => Promise<CloneView>;
  limits: PreviewReplyLimits & PreviewMessageLimits;
  /** A reply no preview process has taken within this time fails, and so does one silent this long since its last piece. */
  startTimeoutMs: number;
  /** How long an ended reply's pieces stay for a late subscriber; default 5 minutes. */
  keepEndedMs?: number;
  instanceId?: string;
}

export interface StartPreviewReply {
  cloneId: string;
  adapterVersion: number;
  messages: PreviewMessage[];
  seed?: number | null;
}

interface Reply {
  ownerId: string;
  pieces: PreviewPiece[];
  nextSeq: number;
  ended: boolean;
  listeners: Set<AsyncQueue<PreviewPiece>>;
  release: () => void;
  timer: NodeJS.Timeout;
}

const ended = (piece: PreviewPiece) => piece.kind === "done" || piece.kind === "error";

export class PreviewService {
  private readonly replies = new Map<string, Reply>();
  private readonly limiter: PreviewLimiter;
  private subscription: Subscription | undefined;
  private readonly instanceId: string;

  constructor(private readonly options: PreviewServiceOptions) {
    this.limiter = new PreviewLimiter(options.limits);
    this.instanceId = options.instanceId ?? `api-preview-${randomUUID()}`;
  }

  /** Subscribes to the pieces (every API process reads them all: a broadcast, like the update feed). */
  async start(): Promise<void> {
    this.subscription = await this.options.bus.subscribe(
      PREVIEW_PIECES_TOPIC,
      { group: this.instanceId, maxAttempts: 1, startFrom: "latest" },
      async (message) => this.onPiece(parsePreviewPiece(message.value)),
    );
  }

  async startReply(principal: AuthPrincipal, input: StartPreviewReply): Promise<{ id: string }> {
    const clone = await this.options.requireClone(principal, input.cloneId);
    const run = trainedRun(clone, input.adapterVersion);
    const problem = previewMessagesProblem(input.messages, this.options.limits);
    if (problem)
      throw apiError("BAD_USER_INPUT", `${problem.field}: ${problem.message}`, { field: problem.field });
    const admission = this.limiter.admit(principal.ownerId);
    if (!admission.ok)
      throw apiError("RATE_LIMITED", admission.message, {
        limit: `preview.limits.${admission.limit}`,
        retryAfterSeconds: admission.retryAfterSeconds,
      });
    const id = randomUUID();
    const reply: Reply = {
      ownerId: principal.ownerId,
      pieces: [],
      nextSeq: 0,
      ended: false,
      listeners: new Set(),
      release: admission.release,
      timer: this.silenceTimer(id),
    };
    this.replies.set(id, reply);
    const request: PreviewStart = {
      schema: "aiclone.preview-request",
      version: 1,
      kind: "start",
      replyId: id,
      cloneId: clone._id,
      adapterVersion: input.adapterVersion,
      adapterKey: run.adapterKey,
      baseModel: run.baseModel,
      persona: {
        systemPrompt: clone.persona?.systemPrompt ?? "",
        language: clone.persona?.language ?? "ru",
      },
      messages: input.messages.map(({ role, content }) => ({ role, content })),
      ...(input.seed != null ? { seed: input.seed } : {}),
      requestedAt: new Date().toISOString(),
    };
    try {
      await this.options.bus.publish(PREVIEW_REQUESTS_TOPIC, [{ key: id, value: request }]);
    } catch (error) {
      this.end(id, reply);
      this.replies.delete(id);
      throw error;
    }
    return { id };
  }

  /** A whole reply (the blind test's clone candidate): its text once done; a failed reply is a CONFLICT. */
  async complete(principal: AuthPrincipal, input: StartPreviewReply): Promise<string> {
    const { id } = await this.startReply(principal, input);
    let text = "";
    for await (const piece of this.listen(principal, id)) {
      if (piece.kind === "text") text += piece.text;
      if (piece.kind === "error") throw apiError("CONFLICT", `the clone's reply failed: ${piece.message}`);
    }
    return text;
  }

  /**
   * The reply's pieces, from the first, ending after its `done` or `error` piece; NOT_FOUND for a reply
   * of another owner, or one this API process did not start (or ended longer ago than it keeps them).
   */
  listen(principal: AuthPrincipal, replyId: string): AsyncIterableIterator<PreviewPiece> {
    const reply = this.replies.get(replyId);
    if (!reply || reply.ownerId !== principal.ownerId)
      throw apiError("NOT_FOUND", `preview reply ${replyId} not found`);
    const queue: AsyncQueue<PreviewPiece> = new AsyncQueue(() => {
      reply.listeners.delete(queue);
      // The last reader left before the end: nobody will read the rest, so stop generating it.
      if (!reply.ended && reply.listeners.size === 0) void this.cancel(replyId);
    });
    for (const piece of reply.pieces) queue.push(piece);
    if (!reply.ended) reply.listeners.add(queue);
    return untilEnd(queue);
  }

  get activeReplies(): number {
    return [...this.replies.values()].filter((r) => !r.ended).length;
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    for (const [id, reply] of this.replies) {
      if (!reply.ended)
        this.onPiece(previewPiece(id, reply.nextSeq, { kind: "error", message: "the API is stopping" }));
      clearTimeout(reply.timer);
    }
    this.replies.clear();
  }

  private onPiece(piece: PreviewPiece): void {
    const reply = this.replies.get(piece.replyId);
    // Another API process's reply, a repeat, or one already ended here (timed out).
    if (!reply || reply.ended || piece.seq < reply.nextSeq) return;
    reply.nextSeq = piece.seq + 1;
    clearTimeout(reply.timer);
    reply.timer = this.silenceTimer(piece.replyId);
    reply.pieces.push(piece);
    for (const queue of reply.listeners) queue.push(piece);
    if (ended(piece)) this.end(piece.replyId, reply);
  }

  private end(id: string, reply: Reply): void {
    reply.ended = true;
    reply.release();
    this.limiter.prune();
    reply.listeners.clear();
    clearTimeout(reply.timer);
    reply.timer = setTimeout(() => this.replies.delete(id), this.options.keepEndedMs ?? 300_000);
    reply.timer.unref();
  }

  private silenceTimer(id: string): NodeJS.Timeout {
    // Not unref'd: a reply in flight keeps the process alive until it ends or times out (stop clears it).
    return setTimeout(() => this.timedOut(id), this.options.startTimeoutMs);
  }

  private timedOut(id: string): void {
    const reply = this.replies.get(id);
    if (!reply || reply.ended) return;
    const seconds = Math.round(this.options.startTimeoutMs / 1000);
    const message =
      reply.pieces.length === 0
        ? `no preview process took the reply within ${seconds} s; is a process with the \`preview\` role running?`
        : `the preview process stopped answering (${seconds} s without a piece of the reply)`;
    this.onPiece(previewPiece(id, reply.nextSeq, { kind: "error", message }));
    void this.cancel(id);
  }

  private async cancel(replyId: string): Promise<void> {
    await this.options.bus
      .publish(PREVIEW_REQUESTS_TOPIC, [
        { key: replyId, value: { schema: "aiclone.preview-request", version: 1, kind: "cancel", replyId } },
      ])
      .catch(() => {});
  }
}

/** The completed run of that adapter version, or NOT_FOUND naming the versions there are. */
function trainedRun(clone: CloneView, adapterVersion: number): { adapterKey: string; baseModel: string } {
  const trained = clone.trainingRuns.filter(
    (r) => trainingRunStatusOf(r.status) === "completed" && r.adapterVersion !== null,
  );
  const run = trained.find((r) => r.adapterVersion === adapterVersion);
  // TrainingCompleted's artifactKey names the adapter file itself.
  if (run?.artifactKey) return { adapterKey: run.artifactKey, baseModel: run.baseModel };
  const versions = trained.map((r) => r.adapterVersion).join(", ");
  throw apiError(
    "NOT_FOUND",
    versions
      ? `clone ${clone._id} has no adapter version ${adapterVersion}; its trained versions: ${versions}`
      : `clone ${clone._id} has no trained adapter yet: train it first`,
    { field: "adapterVersion" },
  );
}

async function* untilEnd(queue: AsyncQueue<PreviewPiece>): AsyncIterableIterator<PreviewPiece> {
  try {
    for await (const piece of queue) {
      yield piece;
      if (ended(piece)) return;
    }
  } finally {
    await queue.return();
  }
}
