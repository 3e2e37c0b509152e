import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { batchedIterable } from "./batchedIterable.js";

async function collect<T>(source: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const batch of source) out.push(batch);
  return out;
}

describe("batchedIterable", () => {
  it("batches what is ready at once, up to the maximum, keeping order", async () => {
    async function* ready() {
      for (let i = 0; i < 7; i++) yield i;
    }
    assert.deepEqual(await collect(batchedIterable(ready(), 3)), [[0, 1, 2], [3, 4, 5], [6]]);
  });

  it("does not wait for a source that waits on I/O: one item per batch then", async () => {
    async function* slow() {
      for (let i = 0; i < 3; i++) {
        await new Promise((r) => setTimeout(r, 5));
        yield i;
      }
    }
    assert.deepEqual(await collect(batchedIterable(slow(), 10)), [[0], [1], [2]]);
  });

  it("ends the source when the consumer leaves early", async () => {
    let finished = false;
    async function* endless() {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        finished = true;
      }
    }
    for await (const batch of batchedIterable(endless(), 4)) {
      assert.deepEqual(batch, [0, 1, 2, 3]);
      break;
    }
    assert.equal(finished, true);
  });
});
