/**
 * The behaviour every `VectorStore` adapter must show (the lancedb and pinecone plugins run it against theirs):
 * a manifest that follows writes and removals, a file's chunks replaced whole, a vector's own chunk nearest to
 * it, and a keyword ranking.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { FileChunks, StoredChunk, VectorStore } from "../index.js";

export interface VectorStoreFixture {
  store: VectorStore;
  /** The vector length the store takes. */
  dimensions: number;
  cleanup(): Promise<void>;
}

/** A unit vector pointing mostly along axis `axis`, so each chunk is its own vector's nearest. */
const unitVector = (dimensions: number, axis: number): number[] => {
  const vector = Array.from({ length: dimensions }, (_, i) => (i === axis % dimensions ? 1 : 0.01));
  const norm = Math.hypot(...vector);
  return vector.map((v) => v / norm);
};

function file(path: string, sha256: string, texts: string[], dimensions: number, axis0: number): FileChunks {
  const chunks = texts.map(
    (text, ordinal): StoredChunk => ({
      chunkId: `${sha256}:${ordinal}`,
      path,
      sha256,
      ordinal,
      locator: ordinal === 0 ? null : `part${ordinal}`,
      text,
      vector: unitVector(dimensions, axis0 + ordinal),
    }),
  );
  return { document: { path, sha256, size: 100 }, chunks };
}

export function vectorStoreContract(name: string, makeStore: () => Promise<VectorStoreFixture>): void {
  describe(`vector store contract: ${name}`, () => {
    let fixture: VectorStoreFixture;
    let store: VectorStore;
    const d = () => fixture.dimensions;
    before(async () => {
      fixture = await makeStore();
      store = fixture.store;
      await store.open();
    });
    after(async () => {
      await store.close();
      await fixture.cleanup();
    });

    it("starts empty and keeps vectors", async () => {
      assert.deepEqual(await store.files(), {});
      assert.equal(store.hasVectors, true);
      assert.ok(store.writeBatch >= 0);
    });

    it("records written files in the manifest, with their hash and chunk count", async () => {
      await store.writeFiles([
        file("кошки.md", "a1", ["Мурка любит рыбу", "Барсик спит на подоконнике"], d(), 0),
        file("travel.txt", "b1", ["Yellow trams in Lisbon"], d(), 2),
        file("пусто.txt", "c1", [], d(), 3),
      ]);
      await store.settle();
      assert.deepEqual(await store.files(), {
        "кошки.md": { sha256: "a1", chunks: 2 },
        "travel.txt": { sha256: "b1", chunks: 1 },
        "пусто.txt": { sha256: "c1", chunks: 0 },
      });
    });

    it("finds a chunk nearest to its own vector, with its path, locator and text", async () => {
      const [top] = await store.nearest(unitVector(d(), 1), 3);
      assert.deepEqual(top, {
        chunkId: "a1:1",
        path: "кошки.md",
        locator: "part1",
        text: "Барсик спит на подоконнике",
      });
      assert.ok((await store.nearest(unitVector(d(), 0), 2)).length <= 2);
    });

    it("ranks chunks by keyword", async () => {
      const hits = await store.fullText("Lisbon", 5);
      assert.deepEqual(
        hits.map((h) => [h.path, h.chunkId, h.locator, h.text]),
        [["travel.txt", "b1:0", null, "Yellow trams in Lisbon"]],
      );
      assert.deepEqual(await store.fullText("абракадабра", 5), []);
    });

    it("replaces every chunk of a file written again", async () => {
      await store.writeFiles([file("travel.txt", "b2", ["Porto bridge on foot"], d(), 2)]);
      await store.settle();
      assert.deepEqual((await store.files())["travel.txt"], { sha256: "b2", chunks: 1 });
      assert.deepEqual(await store.fullText("Lisbon", 5), []);
      assert.equal((await store.fullText("Porto", 5))[0]?.chunkId, "b2:0");
      const near = await store.nearest(unitVector(d(), 2), 10);
      assert.ok(!near.some((h) => h.chunkId === "b1:0"));
      assert.equal(near[0]?.chunkId, "b2:0");
    });

    it("forgets removed files and their chunks, passing over a path it does not hold", async () => {
      await store.removeFiles(["кошки.md", "нет-такого.md"]);
      await store.settle();
      assert.deepEqual(Object.keys(await store.files()).sort(), ["travel.txt", "пусто.txt"]);
      assert.deepEqual(await store.fullText("Мурка", 5), []);
      assert.ok(!(await store.nearest(unitVector(d(), 0), 10)).some((h) => h.path === "кошки.md"));
    });
  });
}
