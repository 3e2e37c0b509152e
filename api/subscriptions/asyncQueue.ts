/**
 * A push-to-pull bridge: producers push, one consumer iterates. `return()` (client gone) unhooks the
 * producer at once. A consumer that falls `limit` items behind is ended with an error rather than
 * letting memory grow without bound.
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private failWaiting: ((error: Error) => void) | null = null;
  private done = false;
  private error: Error | null = null;

  constructor(
    private readonly onClose: () => void,
    private readonly limit = 10_000,
  ) {}

  push(item: T): void {
    if (this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = this.failWaiting = null;
      resolve({ value: item, done: false });
      return;
    }
    if (this.items.length >= this.limit) {
      this.fail(new Error(`subscriber fell more than ${this.limit} updates behind`));
      return;
    }
    this.items.push(item);
  }

  fail(error: Error): void {
    if (this.done) return;
    this.error = error;
    this.finish();
    this.failWaiting?.(error);
    this.waiting = this.failWaiting = null;
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve({ value: item, done: false });
    if (this.error) return Promise.reject(this.error);
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.finish();
    this.waiting?.({ value: undefined, done: true });
    this.waiting = this.failWaiting = null;
    return Promise.resolve({ value: undefined, done: true });
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.items.length = 0;
    this.onClose();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
