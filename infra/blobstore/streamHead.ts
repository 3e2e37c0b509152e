/**
 * The first `bytes` bytes of a stream (fewer if it ends first) and the whole stream again, so a reader
 * can decide how to read it from its start without a second request to the store.
 */
export async function streamHead(
  source: AsyncIterable<Uint8Array>,
  bytes: number,
): Promise<{ head: Buffer; body: AsyncIterable<Uint8Array> }> {
  const iterator = source[Symbol.asyncIterator]();
  const read: Uint8Array[] = [];
  let length = 0;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done) break;
    read.push(next.value);
    length += next.value.byteLength;
  }
  const body = async function* (): AsyncGenerator<Uint8Array> {
    try {
      yield* read;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    } finally {
      // A reader that stops early releases the store's stream.
      await iterator.return?.();
    }
  };
  return { head: Buffer.concat(read).subarray(0, bytes), body: body() };
}
