import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ChunkHit, KeyRankings, VectorStore } from "@aiclone/plugin-sdk";
import { ragTestContext } from "@aiclone/plugin-sdk/testing";
import { RagIndexer } from "./ragIndexer.js";

const hit = (n: number): ChunkHit => ({
  chunkId: `c${n}`,
  path: `doc${n}.md`,
  locator: n % 2 ? null : `Раздел ${n}`,
  text: `текст ${n}`,
});
/** Full-text ranks 1, 2, 3, 4; vectors rank 3, 5, 1. */
const FULL_TEXT = [1, 2, 3, 4];
const NEAREST = [3, 5, 1];

/** A store with fixed rankings; `keyed` adds `rankKeys`, whose `hits` reads through `read`. */
function fakeStore(keyed: boolean, read: (n: number) => ChunkHit | undefined = hit) {
  const calls = { fullText: 0, nearest: 0, hits: 0 };
  const store: VectorStore = {
    hasVectors: true,
    writeBatch: 0,
    open: async () => undefined,
    close: async () => undefined,
    files: async () => ({}),
    writeFiles: async () => undefined,
    removeFiles: async () => undefined,
    settle: async () => undefined,
    nearest: async (_vector, limit) => {
      calls.nearest++;
      return NEAREST.slice(0, limit).map(hit);
    },
    fullText: async (_query, limit) => {
      calls.fullText++;
      return FULL_TEXT.slice(0, limit).map(hit);
    },
  };
  if (keyed) {
    store.rankKeys = async (query, vector, limit): Promise<KeyRankings> => {
      await vector;
      return {
        fullText: query === null ? [] : FULL_TEXT.slice(0, limit).map(String),
        nearest: vector === null ? [] : NEAREST.slice(0, limit).map(String),
        hits: async (keys) => {
          calls.hits++;
          return keys.map((key) => read(Number(key)));
        },
      };
    };
  }
  return { store, calls };
}

async function retrieve(store: VectorStore, hybridWeight: number, limit: number) {
  const context = ragTestContext({
    config: { documentsDir: "docs", chunkLimit: 6, hybridWeight },
    dataDir: "data",
    embeddings: { model: "fake", dimensions: 2, embed: async (texts) => texts.map(() => [1, 0]) },
  });
  const rag = new RagIndexer("fake", context, store);
  await rag.start();
  return rag.retrieve("запрос", { limit });
}

describe("RagIndexer.retrieve through a store's rankKeys", () => {
  for (const weight of [0, 0.3, 0.5, 1]) {
    it(`returns what the plain path returns, reading only the kept hits (hybridWeight ${weight})`, async () => {
      const plain = await retrieve(fakeStore(false).store, weight, 3);
      const keyed = fakeStore(true);
      assert.deepEqual(await retrieve(keyed.store, weight, 3), plain);
      assert.deepEqual(keyed.calls, { fullText: 0, nearest: 0, hits: 1 });
    });
  }

  it("leaves out a kept hit whose chunk is gone when read", async () => {
    const keyed = fakeStore(true, (n) => (n === 3 ? undefined : hit(n)));
    const passages = await retrieve(keyed.store, 0.5, 3);
    assert.deepEqual(
      passages.map((p) => p.chunkId),
      ["c1", "c2"],
    );
  });

  it("asks the plain way when none of the kept hits can be read (the store compacted meanwhile)", async () => {
    const keyed = fakeStore(true, () => undefined);
    const passages = await retrieve(keyed.store, 0.5, 3);
    assert.deepEqual(passages, await retrieve(fakeStore(false).store, 0.5, 3));
    assert.deepEqual(keyed.calls, { fullText: 1, nearest: 1, hits: 1 });
  });
});
