/**
 * Streamed text in fewer SSE frames: the first text goes out at once, later texts that arrive within
 * `intervalMs` of the last frame are joined and sent when the interval ends, so a fast model sends one
 * frame per interval instead of one per token (each frame is a JSON body, a socket write and, for the
 * client, a wake-up and a parse). A text arriving after a quiet interval goes out at once, so a slow
 * model's tokens are never held back. `flush()` before the final frame; `close()` when the client is gone.
 */

export interface CoalescerClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

const realClock: CoalescerClock = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

export class TextCoalescer {
  private buffer = "";
  private timer: unknown;
  private lastSent = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(
    private readonly send: (text: string) => void,
    private readonly intervalMs: number,
    private readonly clock: CoalescerClock = realClock,
  ) {}

  push(text: string): void {
    if (this.closed || text.length === 0) return;
    this.buffer += text;
    if (this.timer !== undefined) return;
    const wait = this.lastSent + this.intervalMs - this.clock.now();
    if (wait <= 0) this.flush();
    else this.timer = this.clock.setTimeout(() => this.flush(), wait);
  }

  /** Sends what is buffered now. */
  flush(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed || this.buffer.length === 0) return;
    const text = this.buffer;
    this.buffer = "";
    this.lastSent = this.clock.now();
    this.send(text);
  }

  /** Drops what is buffered and sends nothing more. */
  close(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.closed = true;
    this.buffer = "";
  }
}
