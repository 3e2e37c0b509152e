/**
 * Groups an async iterable into batches of what is already available: the first item is awaited, then
 * items keep joining the batch while the source yields them without waiting on I/O (up to maxSize).
 * Under load a relay then publishes hundreds of events per bus round trip; when idle, one at a time.
 */
export async function* batchedIterable<T>(
  source: AsyncIterable<T>,
  maxSize: number,
): AsyncGenerator<T[], void, undefined> {
  const iterator = source[Symbol.asyncIterator]();
  const idle = Symbol("idle");
  let pending: Promise<IteratorResult<T>> | undefined;
  try {
    for (;;) {
      const first = await (pending ?? iterator.next());
      pending = undefined;
      if (first.done) return;
      const batch = [first.value];
      while (batch.length < maxSize) {
        const next = iterator.next();
        // setImmediate runs after pending I/O callbacks: a source that is waiting on I/O loses the race.
        const result = await Promise.race([
          next,
          new Promise<typeof idle>((r) => setImmediate(() => r(idle))),
        ]);
        if (result === idle) {
          pending = next;
          break;
        }
        if (result.done) {
          yield batch;
          return;
        }
        batch.push(result.value);
      }
      yield batch;
    }
  } finally {
    // Leaving early (abort, error) must end the source too, so its resources are released.
    await iterator.return?.();
  }
}
