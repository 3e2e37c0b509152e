/**
 * Turns a producer that honours an AbortSignal into an async iterable that ends cleanly both when the caller's
 * signal aborts and when its iterator's `return()` is called. A bare async generator cannot do the latter while a
 * `next()` is pending (its `return()` queues behind that `next()`, which for an idle live subscription never settles),
 * so `return()` aborts the producer's own signal first and then waits for it to unwind.
 */
export function cancellableIterable<T>(
  produce: (signal: AbortSignal) => AsyncGenerator<T, void, undefined>,
  outer?: AbortSignal,
): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<T, void, undefined> {
      const controller = new AbortController();
      const abort = (): void => controller.abort(outer?.reason);
      const unlink = (): void => outer?.removeEventListener("abort", abort);
      if (outer?.aborted) abort();
      else outer?.addEventListener("abort", abort, { once: true });

      async function* run(): AsyncGenerator<T, void, undefined> {
        try {
          yield* produce(controller.signal);
        } finally {
          unlink();
        }
      }
      const inner = run();
      return {
        next: () => inner.next(),
        return: async () => {
          controller.abort();
          // A generator never started skips its `finally`, so unlink here too.
          unlink();
          await inner.return(undefined);
          return { done: true, value: undefined };
        },
      };
    },
  };
}
