/**
 * RAG indexing throughput and query latency of the lancedb plugin (the runtime's indexer over its LanceDB store) at scale. Run:
 * `node dist/bench/ragIndex.js [--chunks 100000] [--queries 200]`.
 *
 * Generates a folder of synthetic Russian/English text files (one chunk per paragraph), indexes it through the
 * runtime's real document reader and the plugin (LanceDB on disk, full-text index), then times hybrid queries
 * (full-text + vectors, fused) and full-text-only queries. The vectors come from a cheap deterministic
 * feature-hashing embedding: the GGUF model embeds a few chunks per second on a CPU, which would make 100k chunks
 * an hour of embedding and measure llama.cpp rather than the index; its own rate is printed for scale.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import lancedbPlugin, { type LancedbConfig, lancedbConfigSchema } from "@aiclone/plugin-lancedb";
import type { Embeddings, PluginContext, RagPlugin, VectorStore } from "@aiclone/plugin-sdk";
import { InMemoryStorage, ragTestContext } from "@aiclone/plugin-sdk/testing";
import { tinyModelPath } from "@aiclone/testing/sharedData";
import { createEmbeddings, FileDocumentReader, RagIndexer } from "aiclone-runtime/rag";
import { percentile } from "./percentile.js";

const PARAGRAPHS_PER_FILE = 20;
const VOCABULARY = (
  "кошка собака договор аренда квартира рецепт борщ свёкла капуста поездка море горы лес река город улица " +
  "работа проект встреча письмо отпуск билет поезд самолёт гостиница музей театр книга фильм музыка песня " +
  "бабушка дедушка мама папа брат сестра друг подруга школа университет экзамен врач больница лекарство " +
  "contract lease apartment recipe travel ocean mountain forest river city street work project meeting " +
  "letter vacation ticket train plane hotel museum theatre book movie music song family friend school exam"
).split(" ");

/** A small deterministic PRNG (mulberry32), so every run indexes the same text. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A paragraph of ~650 characters of vocabulary words. No per-paragraph unique token: with ~100k distinct tokens
 * LanceDB 0.31's full-text index build stalls on this machine (see plugins/lancedb/README.md).
 */
function paragraph(next: () => number, id: number): string {
  const words: string[] = [id % 2 ? "запись" : "record"];
  let length = words[0]?.length ?? 0;
  while (length < 650) {
    const word = VOCABULARY[Math.floor(next() * VOCABULARY.length)] as string;
    words.push(word);
    length += word.length + 1;
  }
  return `${words.join(" ")}.`;
}

/** Feature hashing of words into a fixed number of dimensions, normalised: cheap, deterministic, not semantic. */
function hashingEmbeddings(dimensions: number): Embeddings {
  return {
    model: `bench-feature-hashing-${dimensions}`,
    dimensions,
    async embed(texts) {
      return texts.map((text) => {
        const vector = new Array<number>(dimensions).fill(0);
        for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
          let h = 2166136261;
          for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 16777619);
          const slot = (h >>> 0) % dimensions;
          vector[slot] = (vector[slot] as number) + 1;
        }
        const norm = Math.hypot(...vector) || 1;
        return vector.map((v) => v / norm);
      });
    },
  };
}

async function ggufRate(): Promise<string> {
  try {
    const gguf = await createEmbeddings({
      kind: "gguf",
      modelPath: tinyModelPath(),
      gpu: false,
    });
    if (!gguf) return "n/a";
    const next = random(7);
    const texts = Array.from({ length: 10 }, (_, i) => paragraph(next, i));
    const started = performance.now();
    await gguf.embed(texts);
    const seconds = (performance.now() - started) / 1000;
    await gguf.close();
    return `${(texts.length / seconds).toFixed(1)} chunks/s (llama-2-tiny-random.gguf, CPU)`;
  } catch (error) {
    return `unavailable (${error instanceof Error ? error.message : error})`;
  }
}

/**
 * The hybrid query by both read paths on one index, alternating query by query (which goes first alternates
 * too), so a busy machine weighs on both alike: the store's `rankKeys` (row ids from the indexes, then one read
 * of the kept rows) and the plain `fullText`/`nearest` (each ranking reads its candidates' rows).
 */
async function interleaved(
  context: PluginContext<LancedbConfig>,
  queries: string[],
): Promise<[{ latencies: number[] }, { latencies: number[] }]> {
  const keyedStore = await lancedbPlugin.create(context);
  // The same store with the optional method hidden: the indexer then takes the plain path.
  const plainStore = Object.create(await lancedbPlugin.create(context), {
    rankKeys: { value: undefined },
  }) as VectorStore;
  const paths = [
    new RagIndexer("lancedb", context, keyedStore),
    new RagIndexer("lancedb", context, plainStore),
  ];
  for (const rag of paths) {
    await rag.start();
    await rag.retrieve("прогрев кэша");
  }
  const latencies: [number[], number[]] = [[], []];
  for (const [i, query] of queries.entries()) {
    for (const which of i % 2 ? [1, 0] : [0, 1]) {
      const t = performance.now();
      await paths[which]?.retrieve(query, { limit: 6 });
      latencies[which]?.push(performance.now() - t);
    }
  }
  for (const rag of paths) await rag.stop();
  return [{ latencies: latencies[0] }, { latencies: latencies[1] }];
}

/**
 * Where a hybrid query's time goes, on the keyed path: both rankings as row ids (full-text and vector at once),
 * then one read of the six rows kept (three from each ranking, as the fusion would keep them).
 */
async function phases(
  context: PluginContext<LancedbConfig>,
  embeddings: Embeddings,
  queries: string[],
): Promise<{ rank: number[]; read: number[] }> {
  const store = await lancedbPlugin.create(context);
  await store.open();
  if (!store.rankKeys) throw new Error("the lancedb store has no rankKeys");
  const rank: number[] = [];
  const read: number[] = [];
  for (const query of ["прогрев кэша", ...queries]) {
    let t = performance.now();
    const vector = embeddings.embed([query]).then(([v]) => v as number[]);
    const rankings = await store.rankKeys(query, vector, 24);
    const ranked = performance.now() - t;
    t = performance.now();
    await rankings.hits([...rankings.fullText.slice(0, 3), ...rankings.nearest.slice(0, 3)]);
    if (query === "прогрев кэша") continue;
    rank.push(ranked);
    read.push(performance.now() - t);
  }
  await store.close();
  return { rank, read };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      chunks: { type: "string", default: "100000" },
      queries: { type: "string", default: "200" },
      verbose: { type: "boolean", default: false },
    },
  });
  const targetChunks = Number(values.chunks);
  const queryCount = Number(values.queries);
  const root = await mkdtemp(join(tmpdir(), "bench-rag-"));
  try {
    const docs = join(root, "docs");
    const files = Math.ceil(targetChunks / PARAGRAPHS_PER_FILE);
    const next = random(42);
    let id = 0;
    for (let f = 0; f < files; f++) {
      const dir = join(docs, `папка-${f % 50}`);
      if (f < 50) await mkdir(dir, { recursive: true });
      const body = Array.from({ length: PARAGRAPHS_PER_FILE }, () => paragraph(next, id++)).join("\n\n");
      await writeFile(join(dir, f % 2 ? `note-${f}.md` : `заметка-${f}.txt`), body);
    }

    const embeddings = hashingEmbeddings(64);
    const config = lancedbConfigSchema.parse({ documentsDir: docs, indexDir: join(root, "index") });
    const context = ragTestContext({
      config,
      dataDir: join(root, "data"),
      storage: new InMemoryStorage(),
      embeddings,
      documents: new FileDocumentReader(),
    });
    const plugin: RagPlugin = new RagIndexer("lancedb", context, await lancedbPlugin.create(context));
    await plugin.start();

    let started = performance.now();
    const report = await plugin.index({
      onProgress: (done, total) => {
        if (values.verbose && done % 500 === 0)
          console.error(
            `indexed ${done}/${total} files, ${((performance.now() - started) / 1000).toFixed(1)} s`,
          );
      },
    });
    const indexSeconds = (performance.now() - started) / 1000;
    if (values.verbose) console.error(`index done in ${indexSeconds.toFixed(1)} s; querying`);

    const queries = Array.from({ length: queryCount }, () =>
      Array.from(
        { length: 2 + Math.floor(next() * 2) },
        () => VOCABULARY[Math.floor(next() * VOCABULARY.length)],
      ).join(" "),
    );
    /** Latencies of every query, and the chunk ids each returned (for recall against an exact scan). */
    const time = async (rag: RagPlugin) => {
      const latencies: number[] = [];
      const found: Set<string>[] = [];
      for (const query of queries) {
        const t = performance.now();
        const passages = await rag.retrieve(query, { limit: 6 });
        latencies.push(performance.now() - t);
        found.push(new Set(passages.map((p) => p.chunkId)));
      }
      return { latencies, found };
    };
    /** Share of the exact answer's passages an answer found (recall@6), over every query. */
    const recall = (answer: Set<string>[], exact: Set<string>[]) => {
      let hits = 0;
      let total = 0;
      for (const [i, truth] of exact.entries()) {
        total += truth.size;
        for (const id of truth) if (answer[i]?.has(id)) hits++;
      }
      return (hits / Math.max(total, 1)).toFixed(3);
    };
    await plugin.retrieve("прогрев кэша");
    const hybrid = await time(plugin);
    const [keyed, plain] = await interleaved(context, queries);
    const split = await phases(context, embeddings, queries);

    await writeFile(join(docs, "папка-1", "note-1.md"), `${paragraph(next, -1)}\n\n${paragraph(next, -2)}`);
    started = performance.now();
    const incremental = await plugin.index();
    const incrementalSeconds = (performance.now() - started) / 1000;
    await plugin.stop();

    /** The same index read with other settings: full-text only, or every vector scanned (exact). */
    const reader = async (changes: Partial<typeof config>): Promise<RagPlugin> => {
      const readContext = ragTestContext({
        config: { ...config, ...changes },
        dataDir: join(root, "data"),
        storage: context.storage as InMemoryStorage,
        embeddings,
        documents: new FileDocumentReader(),
      });
      const rag = new RagIndexer("lancedb", readContext, await lancedbPlugin.create(readContext));
      await rag.start();
      return rag;
    };
    const fullTextOnly = await reader({ hybridWeight: 0 });
    const fullText = await time(fullTextOnly);
    await fullTextOnly.stop();
    const exactIndex = { ...config.vectorIndex, enabled: false };
    const exactHybridReader = await reader({ vectorIndex: exactIndex });
    const exactHybrid = await time(exactHybridReader);
    await exactHybridReader.stop();
    const vectorOnly = await reader({ hybridWeight: 1 });
    const vectors = await time(vectorOnly);
    await vectorOnly.stop();
    const exactVectors = await reader({ hybridWeight: 1, vectorIndex: exactIndex });
    const exact = await time(exactVectors);
    await exactVectors.stop();

    const ms = (v: number) => `${v.toFixed(1)} ms`;
    console.log(`RAG index bench (lancedb plugin, ${report.chunks} chunks in ${report.files} files)`);
    console.log(
      `embeddings: deterministic 64-dim feature hashing (GGUF embedding for scale: ${await ggufRate()})`,
    );
    console.log(
      `indexing: ${indexSeconds.toFixed(1)} s, ${(report.chunks / indexSeconds).toFixed(0)} chunks/s (read, hash, chunk, embed, write, FTS index)`,
    );
    console.log(
      `re-index after editing one file: ${incrementalSeconds.toFixed(2)} s (${incremental.indexedFiles} file re-read, ${incremental.unchangedFiles} unchanged)`,
    );
    const p = (run: { latencies: number[] }) =>
      `p50 ${ms(percentile(run.latencies, 50))}, p95 ${ms(percentile(run.latencies, 95))}`;
    console.log(
      `hybrid query (full-text + vector IVF, RRF), ${queries.length} queries: ${p(hybrid)}; recall@6 against the same fusion over an exact vector scan ${recall(hybrid.found, exactHybrid.found)}`,
    );
    console.log(`hybrid query over an exact vector scan: ${p(exactHybrid)}`);
    console.log(
      `hybrid, the two read paths alternating query by query (same load): keys then one read of the kept rows ${p(keyed)}; each ranking reading its rows ${p(plain)}`,
    );
    console.log(
      `hybrid, its two phases: both rankings as row ids (full-text and vector at once) p50 ${ms(percentile(split.rank, 50))}, p95 ${ms(percentile(split.rank, 95))}; reading the 6 rows kept p50 ${ms(percentile(split.read, 50))}, p95 ${ms(percentile(split.read, 95))}`,
    );
    console.log(`full-text-only query: ${p(fullText)} (exact: BM25 over the whole index)`);
    console.log(
      `vector-only query, IVF index (${config.vectorIndex.probes} probes): ${p(vectors)}; recall@6 against an exact scan ${recall(vectors.found, exact.found)}`,
    );
    console.log(`vector-only query, exact scan of every vector: ${p(exact)}`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
