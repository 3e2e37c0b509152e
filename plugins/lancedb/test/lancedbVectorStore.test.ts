import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { FileChunks } from "@aiclone/plugin-sdk";
import { InMemoryStorage, ragTestContext, vectorStoreContract } from "@aiclone/plugin-sdk/testing";
import * as lancedb from "@lancedb/lancedb";
import { lancedbConfigSchema } from "../lancedbConfig.js";
import { LancedbVectorStore } from "../lancedbVectorStore.js";

const DIMENSIONS = 8;

vectorStoreContract("lancedb (an embedded table on disk)", async () => {
  const root = await mkdtemp(join(tmpdir(), "rag-lancedb-store-"));
  const context = ragTestContext({
    config: lancedbConfigSchema.parse({ documentsDir: join(root, "docs") }),
    dataDir: join(root, "data"),
    storage: new InMemoryStorage(),
    embeddings: {
      model: "contract-test",
      dimensions: DIMENSIONS,
      embed: async () => {
        throw new Error("the store never embeds");
      },
    },
  });
  return {
    store: new LancedbVectorStore(context),
    dimensions: DIMENSIONS,
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});

describe("lancedb vector index and compaction", () => {
  const dims = 16;
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), "rag-lancedb-ivf-"));
  });
  after(() => rm(root, { recursive: true, force: true }));

  /** A seeded pseudo-random unit vector (mulberry32), so each run builds the same table. */
  const vectors = (count: number, seed: number): number[][] => {
    let a = seed;
    const next = () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
    };
    return Array.from({ length: count }, () => {
      const v = Array.from({ length: dims }, next);
      const norm = Math.hypot(...v);
      return v.map((x) => x / norm);
    });
  };
  const store = (vectorIndex: Record<string, unknown>, compactAfterRows = 500) =>
    new LancedbVectorStore(
      ragTestContext({
        config: lancedbConfigSchema.parse({
          documentsDir: join(root, "docs"),
          indexDir: join(root, "index"),
          vectorIndex,
          compactAfterRows,
        }),
        dataDir: join(root, "data"),
        storage,
        embeddings: { model: "ivf-test", dimensions: dims, embed: async () => [] },
      }),
    );
  const storage = new InMemoryStorage();
  const chunks = (path: string, sha256: string, vs: number[][]): FileChunks => ({
    document: { path, sha256, size: 1 },
    chunks: vs.map((vector, ordinal) => ({
      chunkId: `${path}:${ordinal}`,
      path,
      sha256,
      ordinal,
      locator: null,
      text: `chunk ${ordinal} of ${path}`,
      vector,
    })),
  });
  const indexColumns = async () => {
    const connection = await lancedb.connect(join(root, "index"));
    const table = await connection.openTable("chunks");
    const columns = (await table.listIndices()).flatMap((index) => index.columns);
    table.close();
    connection.close();
    return columns;
  };

  it("builds the IVF index past minRows and finds what an exact scan of every vector finds", async () => {
    const all = vectors(1200, 7);
    const indexed = store({ minRows: 1000, probes: 35 });
    await indexed.open();
    await indexed.writeFiles([chunks("a.txt", "a", all.slice(0, 600)), chunks("b.txt", "b", all.slice(600))]);
    await indexed.settle();
    assert.ok((await indexColumns()).includes("vector"), "a vector index exists after settle");
    const exact = store({ enabled: false });
    await exact.open();
    for (const probe of vectors(20, 99)) {
      const fromIndex = (await indexed.nearest(probe, 5)).map((hit) => hit.chunkId);
      const fromScan = (await exact.nearest(probe, 5)).map((hit) => hit.chunkId);
      // √1200 ≈ 35 partitions, all probed: the index must return exactly the scan's neighbours.
      assert.deepEqual(fromIndex, fromScan);
    }
    const own = all[1000] as number[];
    assert.equal((await indexed.nearest(own, 1))[0]?.chunkId, "b.txt:400");
    await exact.close();
    await indexed.close();
  });

  it("searches a small edit before compaction: the new chunk is found, the old one is gone", async () => {
    const indexed = store({ minRows: 1000, probes: 35 });
    await indexed.open();
    const [fresh] = vectors(1, 1234) as [number[]];
    await indexed.writeFiles([chunks("a.txt", "a2", [fresh])]);
    await indexed.settle(); // one row changed: below compactAfterRows, nothing is rewritten
    assert.equal((await indexed.nearest(fresh, 1))[0]?.chunkId, "a.txt:0");
    const hits = await indexed.nearest(vectors(1200, 7)[5] as number[], 3);
    assert.ok(!hits.some((hit) => hit.chunkId === "a.txt:5"), "the replaced file's old chunks are gone");
    await indexed.close();
  });

  it("ranks by row id alone, reads the kept rows in the order asked, and never another row after compaction", async () => {
    const indexed = store({ minRows: 1000, probes: 35 }, 1);
    await indexed.open();
    const own = vectors(1200, 7)[1000] as number[];
    const rankings = await indexed.rankKeys("chunk 400", Promise.resolve(own), 5);
    assert.equal(rankings.fullText.length, 5);
    assert.equal(rankings.nearest.length, 5);
    const keys = [rankings.nearest[0] as string, rankings.fullText[0] as string, "999999999999"];
    const before = await rankings.hits(keys);
    assert.equal(before[0]?.chunkId, "b.txt:400");
    assert.equal(before[0]?.text, "chunk 400 of b.txt");
    assert.match(before[1]?.text ?? "", /^chunk 400 of /);
    assert.equal(before[2], undefined, "a row id the table never had");
    // One more file, past compactAfterRows = 1: settle compacts, moving rows to new fragments.
    await indexed.writeFiles([chunks("c.txt", "c", vectors(3, 55))]);
    await indexed.settle();
    const after = await rankings.hits(keys);
    for (const [i, hit] of after.entries()) {
      if (hit) assert.deepEqual(hit, before[i], "a stale row id reads its own row or nothing");
    }
    await indexed.close();
  });
});
