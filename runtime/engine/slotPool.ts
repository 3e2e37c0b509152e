/**
 * A fixed set of slots (context sequences) lent one at a time, with a bounded FIFO queue of waiters beyond
 * them: a burst of conversations is served in arrival order, and a flood is refused instead of piling up.
 */

/** The queue is full: the caller should answer "busy, try again" rather than wait. */
export class EngineBusyError extends Error {
  override readonly name = "EngineBusyError";
}

export interface SlotLease<T> {
  readonly slot: T;
  release(): void;
}

interface Waiter<T> {
  resolve(lease: SlotLease<T>): void;
  reject(error: unknown): void;
}

export class SlotPool<T> {
  private readonly free: T[];
  private readonly waiters: Waiter<T>[] = [];
  private closedWith: Error | undefined;

  constructor(
    slots: readonly T[],
    private readonly maxQueue: number,
  ) {
    if (slots.length === 0) throw new RangeError("a slot pool needs at least one slot");
    this.free = [...slots];
  }

  get waiting(): number {
    return this.waiters.length;
  }
  get available(): number {
    return this.free.length;
  }

  /**
   * A free slot at once (when several are free, the first that `prefer` accepts, else the first), else a
   * place in the queue.
   * Rejects with EngineBusyError when the queue is full, and with the signal's reason when it aborts first.
   */
  acquire(signal?: AbortSignal, prefer?: (slot: T) => boolean): Promise<SlotLease<T>> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.free.length > 0 && this.waiters.length === 0) {
      const preferred = prefer ? this.free.findIndex(prefer) : -1;
      const [slot] = this.free.splice(Math.max(0, preferred), 1) as [T];
      return Promise.resolve(this.lease(slot));
    }
    if (this.waiters.length >= this.maxQueue)
      return Promise.reject(
        new EngineBusyError(
          `the model is busy: ${this.waiters.length} requests are already waiting (the queue holds ${this.maxQueue}); try again shortly`,
        ),
      );
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter<T> = {
        resolve: (lease) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(lease);
        },
        reject: (error) => {
          signal?.removeEventListener("abort", onAbort);
          reject(error);
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Refuses new requests and fails the queued ones; slots already lent stay lent until released. */
  close(reason: Error): void {
    this.closedWith = reason;
    for (const waiter of this.waiters.splice(0)) waiter.reject(reason);
  }

  private lease(slot: T): SlotLease<T> {
    let released = false;
    return {
      slot,
      release: () => {
        if (released) return;
        released = true;
        const next = this.waiters.shift();
        if (next) next.resolve(this.lease(slot));
        else this.free.push(slot);
      },
    };
  }
}
