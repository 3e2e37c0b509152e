import assert from "node:assert/strict";
import { mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import lancedbPlugin, { type LancedbConfig } from "@aiclone/plugin-lancedb";
import type { Embeddings, RagPlugin } from "@aiclone/plugin-sdk";
import { InMemoryStorage, parsePluginConfig, ragTestContext } from "@aiclone/plugin-sdk/testing";
import { tinyModelPath } from "@aiclone/testing/sharedData";
import { createEmbeddings } from "../createEmbeddings.js";
import { FileDocumentReader } from "../fileDocumentReader.js";
import { RagIndexer } from "../indexer/ragIndexer.js";
import type { RuntimeEmbeddings } from "../runtimeEmbeddings.js";
import { SAMPLE_FILES, writeSampleDocuments } from "./ragDocuments.js";

const sources = (passages: { source: string }[]) => passages.map((p) => p.source);

async function startPlugin(options: {
  config: Record<string, unknown>;
  dataDir: string;
  storage: InMemoryStorage;
  embeddings?: Embeddings | null;
  language?: string;
  documents?: FileDocumentReader;
}) {
  const config = await parsePluginConfig(lancedbPlugin.manifest.configSchema, options.config);
  const context = ragTestContext<LancedbConfig>({ documents: new FileDocumentReader(), ...options, config });
  // As the runtime's host runs a vector-store plugin: inside the runtime's indexer.
  const plugin: RagPlugin = new RagIndexer("lancedb", context, await lancedbPlugin.create(context));
  await plugin.start();
  return { plugin, context };
}

describe("lancedb plugin", () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), "rag-lancedb-"));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it("validates its config, naming the field", async () => {
    await assert.rejects(parsePluginConfig(lancedbPlugin.manifest.configSchema, {}), /documentsDir/);
    await assert.rejects(
      parsePluginConfig(lancedbPlugin.manifest.configSchema, { documentsDir: "d", hybridWeight: 2 }),
      /hybridWeight/,
    );
    await assert.rejects(
      parsePluginConfig(lancedbPlugin.manifest.configSchema, { documentsDir: "d", stemming: "Klingon" }),
      /stemming/,
    );
  });

  describe("full-text alone (no embedding model), over Russian and English md, txt and pdf", () => {
    let docs: string;
    let dataDir: string;
    const storage = new InMemoryStorage();
    let plugin: RagPlugin;

    before(async () => {
      docs = join(root, "ft-docs");
      dataDir = join(root, "ft-data");
      await writeSampleDocuments(docs);
      ({ plugin } = await startPlugin({ config: { documentsDir: docs }, dataDir, storage }));
    });
    after(() => plugin.stop());

    it("indexes every file and reports the counts", async () => {
      const progress: [number, number][] = [];
      const report = await plugin.index({ onProgress: (done, total) => progress.push([done, total]) });
      assert.equal(report.files, 4);
      assert.equal(report.indexedFiles, 4);
      assert.equal(report.unchangedFiles, 0);
      assert.equal(report.removedFiles, 0);
      assert.ok(report.chunks >= 6, `${report.chunks} chunks`);
      assert.deepEqual(report.skipped, []);
      assert.deepEqual(progress.at(-1), [4, 4]);
    });

    it("finds the right document first, with its page or heading", async () => {
      assert.equal(sources(await plugin.retrieve("арендная плата в месяц"))[0], "договор.pdf#page=2");
      assert.equal(sources(await plugin.retrieve("Договор аренды"))[0], "договор.pdf#page=1");
      assert.equal(sources(await plugin.retrieve("Мурка"))[0], "заметки/кошки.md#Кошки");
      assert.equal(sources(await plugin.retrieve("прививка от бешенства"))[0], "заметки/кошки.md#Ветеринар");
      assert.equal(sources(await plugin.retrieve("yellow trams in Lisbon"))[0], "travel.txt");
      assert.equal(sources(await plugin.retrieve("СМЕТАНОЙ"))[0], "рецепты/борщ.md#Подача");
    });

    it("matches ё and е alike, and word forms through Russian stemming (the clone speaks Russian)", async () => {
      assert.equal(sources(await plugin.retrieve("свекла"))[0], "рецепты/борщ.md#Борщ");
      assert.equal(sources(await plugin.retrieve("кошками"))[0], "заметки/кошки.md#Кошки");
      assert.equal(sources(await plugin.retrieve("квартиру"))[0], "договор.pdf#page=1");
    });

    it("returns passages with text, score and chunk id, at most `limit`, none for no match", async () => {
      const [top, ...rest] = await plugin.retrieve("Мурка любит рыбу", { limit: 1 });
      assert.equal(rest.length, 0);
      assert.match(top?.text ?? "", /Мурка любит рыбу/);
      assert.match(top?.chunkId ?? "", /^[0-9a-f]{64}:\d+$/);
      assert.ok((top?.score ?? 0) > 0);
      assert.deepEqual(await plugin.retrieve("абракадабра"), []);
      assert.deepEqual(await plugin.retrieve("   "), []);
      assert.ok((await plugin.retrieve('что? "кавычки" (скобки) AND OR *')).length >= 0);
    });

    it("re-reads nothing when nothing changed", async () => {
      const report = await plugin.index();
      assert.deepEqual(
        {
          indexed: report.indexedFiles,
          unchanged: report.unchangedFiles,
          removed: report.removedFiles,
          chunks: report.chunks,
        },
        { indexed: 0, unchanged: 4, removed: 0, chunks: 0 },
      );
    });

    it("re-indexes only an edited file, and its old text is gone", async () => {
      await writeFile(
        join(docs, "travel.txt"),
        "Trip to Porto in June. We crossed the Dom Luis bridge on foot.",
      );
      const report = await plugin.index();
      assert.equal(report.indexedFiles, 1);
      assert.equal(report.unchangedFiles, 3);
      assert.equal(report.chunks, 1);
      assert.equal(sources(await plugin.retrieve("Porto bridge"))[0], "travel.txt");
      assert.deepEqual(sources(await plugin.retrieve("Lisbon trams")), []);
    });

    it("drops the chunks of a deleted file", async () => {
      await unlink(join(docs, "заметки", "кошки.md"));
      const report = await plugin.index();
      assert.equal(report.removedFiles, 1);
      assert.equal(report.files, 3);
      assert.deepEqual(await plugin.retrieve("Мурка"), []);
      assert.deepEqual(await plugin.retrieve("бешенства"), []);
    });

    it("keeps the index across a restart (a new instance over the same data folder)", async () => {
      await plugin.stop();
      ({ plugin } = await startPlugin({ config: { documentsDir: docs }, dataDir, storage }));
      assert.equal(sources(await plugin.retrieve("арендная плата"))[0], "договор.pdf#page=2");
      const report = await plugin.index();
      assert.equal(report.indexedFiles, 0);
      assert.equal(report.unchangedFiles, 3);
    });

    it("puts a file back after it returns", async () => {
      await writeFile(join(docs, "заметки", "кошки.md"), "# Кошки\n\nМурка вернулась.\n");
      const report = await plugin.index();
      assert.equal(report.indexedFiles, 1);
      assert.equal(sources(await plugin.retrieve("Мурка"))[0], "заметки/кошки.md#Кошки");
    });
  });

  it("matches exact words only with stemming off", async () => {
    const docs = join(root, "exact-docs");
    await writeSampleDocuments(docs);
    const { plugin } = await startPlugin({
      config: { documentsDir: docs, stemming: "off" },
      dataDir: join(root, "exact-data"),
      storage: new InMemoryStorage(),
    });
    try {
      await plugin.index();
      assert.deepEqual(await plugin.retrieve("кошками"), []);
      assert.equal(sources(await plugin.retrieve("Мурка"))[0], "заметки/кошки.md#Кошки");
    } finally {
      await plugin.stop();
    }
  });

  it("reports files it could not read or would not read, and indexes the rest", async () => {
    const docs = join(root, "skip-docs");
    await writeSampleDocuments(docs);
    await writeFile(join(docs, "сломан.pdf"), "%PDF-1.4 not a real pdf");
    await writeFile(join(docs, "огромный.txt"), "слово ".repeat(20_000));
    const { plugin } = await startPlugin({
      config: { documentsDir: docs },
      dataDir: join(root, "skip-data"),
      storage: new InMemoryStorage(),
      documents: new FileDocumentReader({ maxFileBytes: 100_000 }),
    });
    try {
      const report = await plugin.index();
      assert.equal(report.indexedFiles, SAMPLE_FILES.length);
      assert.deepEqual(report.skipped.map((s) => s.path).sort(), ["огромный.txt", "сломан.pdf"]);
      assert.match(report.skipped.find((s) => s.path === "огромный.txt")?.reason ?? "", /limit/);
      assert.match(report.skipped.find((s) => s.path === "сломан.pdf")?.reason ?? "", /cannot read document/);
    } finally {
      await plugin.stop();
    }
  });

  it("stops on abort and finishes the work on the next run", async () => {
    const docs = join(root, "abort-docs");
    await writeSampleDocuments(docs);
    const { plugin } = await startPlugin({
      config: { documentsDir: docs },
      dataDir: join(root, "abort-data"),
      storage: new InMemoryStorage(),
    });
    try {
      const controller = new AbortController();
      await assert.rejects(
        plugin.index({
          signal: controller.signal,
          onProgress: (done) => {
            if (done === 2) controller.abort();
          },
        }),
        { name: "AbortError" },
      );
      const report = await plugin.index();
      assert.equal(report.unchangedFiles, 2);
      assert.equal(report.indexedFiles, 2);
    } finally {
      await plugin.stop();
    }
  });

  describe("hybrid, with a GGUF embedding model", () => {
    let embeddings: RuntimeEmbeddings;
    let docs: string;
    let dataDir: string;
    const storage = new InMemoryStorage();
    let plugin: RagPlugin;

    before(async () => {
      const opened = await createEmbeddings({
        kind: "gguf",
        modelPath: tinyModelPath(),
        gpu: false,
        threads: 1,
      });
      assert.ok(opened);
      embeddings = opened;
      docs = join(root, "hybrid-docs");
      dataDir = join(root, "hybrid-data");
      await writeSampleDocuments(docs);
      ({ plugin } = await startPlugin({ config: { documentsDir: docs }, dataDir, storage, embeddings }));
    });
    after(async () => {
      await plugin.stop();
      await embeddings.close();
    });

    it("stores a vector per chunk and still ranks by full-text", async () => {
      const report = await plugin.index();
      assert.equal(report.indexedFiles, 4);
      assert.equal(sources(await plugin.retrieve("арендная плата"))[0], "договор.pdf#page=2");
    });

    it("finds a chunk by vector alone (hybridWeight 1): a text's own vector is nearest to it", async () => {
      await plugin.stop();
      ({ plugin } = await startPlugin({
        config: { documentsDir: docs, hybridWeight: 1 },
        dataDir,
        storage,
        embeddings,
      }));
      // Not an exact full-text match: the passage's own text, as the chunker normalised it.
      const [top] = await plugin.retrieve("Подача\n\nПодавать со сметаной и чесночными пампушками.");
      assert.equal(top?.source, "рецепты/борщ.md#Подача");
    });

    it("rebuilds the index when the embedding model changes", async () => {
      await plugin.stop();
      let context: ReturnType<typeof ragTestContext<LancedbConfig>>;
      ({ plugin, context } = await startPlugin({
        config: { documentsDir: docs },
        dataDir,
        storage,
        embeddings: null,
      }));
      assert.ok(context.logs.some((l) => /rebuilding the index/.test(l.message)));
      const report = await plugin.index();
      assert.equal(report.indexedFiles, 4);
      assert.equal(report.unchangedFiles, 0);
      assert.equal(sources(await plugin.retrieve("Мурка"))[0], "заметки/кошки.md#Кошки");
    });
  });
});
