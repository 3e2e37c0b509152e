/**
 * Per-owner limits on preview replies, kept by the API process that starts them: replies generating at
 * once, and replies started in the last minute (a sliding window). A refusal names the limit and when to
 * try again. With several API processes each keeps its own count (an owner's sessions usually stay on one).
 */

export interface PreviewReplyLimits {
  /** Replies of one owner generating at the same time. */
  concurrentReplies: number;
  /** Replies one owner may start within any 60 seconds. */
  repliesPerMinute: number;
}

export type PreviewAdmission =
  | { ok: true; release: () => void }
  | { ok: false; limit: keyof PreviewReplyLimits; message: string; retryAfterSeconds: number };

const WINDOW_MS = 60_000;

export class PreviewLimiter {
  private readonly running = new Map<string, number>();
  private readonly started = new Map<string, number[]>();

  constructor(
    private readonly limits: PreviewReplyLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a reply in, or says which limit it would pass; `release` once the reply has ended. */
  admit(ownerId: string): PreviewAdmission {
    const now = this.now();
    const recent = (this.started.get(ownerId) ?? []).filter((at) => at > now - WINDOW_MS);
    const running = this.running.get(ownerId) ?? 0;
    if (running >= this.limits.concurrentReplies)
      return {
        ok: false,
        limit: "concurrentReplies",
        message: `at most ${this.limits.concurrentReplies} preview replies at once; wait for one to finish`,
        retryAfterSeconds: 1,
      };
    if (recent.length >= this.limits.repliesPerMinute)
      return {
        ok: false,
        limit: "repliesPerMinute",
        message: `at most ${this.limits.repliesPerMinute} preview replies a minute`,
        retryAfterSeconds: Math.max(1, Math.ceil(((recent[0] ?? now) + WINDOW_MS - now) / 1000)),
      };
    recent.push(now);
    this.started.set(ownerId, recent);
    this.running.set(ownerId, running + 1);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.running.get(ownerId) ?? 1) - 1;
        if (left > 0) this.running.set(ownerId, left);
        else this.running.delete(ownerId);
      },
    };
  }

  /** Owners with a reply running or started within the window (the maps do not grow without bound). */
  prune(): void {
    const now = this.now();
    for (const [owner, times] of this.started) {
      const recent = times.filter((at) => at > now - WINDOW_MS);
      if (recent.length === 0) this.started.delete(owner);
      else this.started.set(owner, recent);
    }
  }
}
