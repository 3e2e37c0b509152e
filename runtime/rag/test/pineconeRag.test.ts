import assert from "node:assert/strict";
import { mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import pineconePlugin, { type PineconeConfig, pathPrefix } from "@aiclone/plugin-pinecone";
import type { RagPlugin } from "@aiclone/plugin-sdk";
import { InMemoryStorage, parsePluginConfig, ragTestContext } from "@aiclone/plugin-sdk/testing";
import { PineconeStandIn } from "@aiclone/testing/pineconeStandIn";
import { tinyModelPath } from "@aiclone/testing/sharedData";
import { Pinecone } from "@pinecone-database/pinecone";
import { createEmbeddings } from "../createEmbeddings.js";
import { FileDocumentReader } from "../fileDocumentReader.js";
import { RagIndexer } from "../indexer/ragIndexer.js";
import type { RuntimeEmbeddings } from "../runtimeEmbeddings.js";
import { writeSampleDocuments } from "./ragDocuments.js";

const API_KEY = "pcsk_test_0123456789";
const sources = (passages: { source: string }[]) => passages.map((p) => p.source);

describe("pinecone plugin against a local stand-in of the Pinecone API", () => {
  let root: string;
  let docs: string;
  let dataDir: string;
  let embeddings: RuntimeEmbeddings;
  let standIn: PineconeStandIn;
  let plugin: RagPlugin;

  const start = async (overrides: Record<string, unknown> = {}) => {
    const config = await parsePluginConfig(pineconePlugin.manifest.configSchema, {
      apiKey: API_KEY,
      indexName: "anna-docs",
      namespace: "anna",
      controllerHostUrl: standIn.url,
      documentsDir: docs,
      upsertBatch: 3,
      ...overrides,
    });
    const context = ragTestContext<PineconeConfig>({
      config,
      dataDir,
      embeddings,
      storage: new InMemoryStorage(),
      documents: new FileDocumentReader(),
    });
    // As the runtime's host runs a vector-store plugin: inside the runtime's indexer.
    const created: RagPlugin = new RagIndexer("pinecone", context, await pineconePlugin.create(context));
    await created.start();
    return { plugin: created, context };
  };

  before(async () => {
    root = await mkdtemp(join(tmpdir(), "rag-pinecone-"));
    docs = join(root, "docs");
    dataDir = join(root, "data");
    await writeSampleDocuments(docs);
    const opened = await createEmbeddings({
      kind: "gguf",
      modelPath: tinyModelPath(),
      gpu: false,
      threads: 1,
    });
    assert.ok(opened);
    embeddings = opened;
    standIn = new PineconeStandIn(API_KEY, "anna-docs", embeddings.dimensions);
    await standIn.start();
    ({ plugin } = await start());
  });
  after(async () => {
    await plugin?.stop();
    await standIn?.stop();
    await embeddings?.close();
    await rm(root, { recursive: true, force: true });
  });

  it("the stand-in speaks what the real client expects (describe, upsert, query, list, stats, delete)", async () => {
    const client = new Pinecone({ apiKey: API_KEY, controllerHostUrl: standIn.url });
    const model = await client.describeIndex("anna-docs");
    assert.equal(model.host, standIn.url);
    const ns = client.index({ name: "anna-docs", host: model.host }).namespace("probe");
    await ns.upsert({
      records: [
        { id: "p#1", values: [1, 0, 0, 0, 0, 0, 0, 0], metadata: { path: "a.md" } },
        { id: "p#2", values: [0, 1, 0, 0, 0, 0, 0, 0], metadata: { path: "b.md" } },
        { id: "q#1", values: [1, 1, 0, 0, 0, 0, 0, 0], metadata: { path: "a.md" } },
      ],
    });
    const top = await ns.query({ vector: [1, 0, 0, 0, 0, 0, 0, 0], topK: 2, includeMetadata: true });
    assert.deepEqual(
      top.matches.map((m) => m.id),
      ["p#1", "q#1"],
    );
    const filtered = await ns.query({
      vector: [1, 0, 0, 0, 0, 0, 0, 0],
      topK: 5,
      filter: { path: { $eq: "b.md" } },
    });
    assert.deepEqual(
      filtered.matches.map((m) => m.id),
      ["p#2"],
    );
    const listed = await ns.listPaginated({ prefix: "p#" });
    assert.deepEqual(
      listed.vectors?.map((v) => v.id),
      ["p#1", "p#2"],
    );
    assert.equal((await ns.describeIndexStats()).namespaces?.probe?.recordCount, 3);
    await ns.deleteMany({ filter: { path: { $eq: "a.md" } } });
    assert.deepEqual([...standIn.namespace("probe").keys()], ["p#2"]);
    await ns.deleteAll();
    assert.equal(standIn.namespace("probe").size, 0);
    const last = standIn.requests.at(-1);
    assert.equal(last?.apiKey, API_KEY);
    assert.match(last?.apiVersion ?? "", /^\d{4}-\d{2}/);
  });

  it("refuses to start without an embedding model, saying why", async () => {
    const config = await parsePluginConfig(pineconePlugin.manifest.configSchema, {
      apiKey: API_KEY,
      indexName: "anna-docs",
      documentsDir: docs,
    });
    const context = ragTestContext<PineconeConfig>({ config, dataDir: join(root, "none"), embeddings: null });
    assert.throws(() => pineconePlugin.create(context), /needs an embedding model/);
  });

  it("names a missing index and a wrong API key", async () => {
    await assert.rejects(
      start({ indexName: "no-such-index" }),
      /pinecone index no-such-index cannot be described/,
    );
    await assert.rejects(start({ apiKey: "wrong" }), /cannot be described/);
  });

  it("validates its config, naming the field", async () => {
    await assert.rejects(
      parsePluginConfig(pineconePlugin.manifest.configSchema, { indexName: "x", documentsDir: "d" }),
      /apiKey/,
    );
    await assert.rejects(
      parsePluginConfig(pineconePlugin.manifest.configSchema, {
        apiKey: "k",
        indexName: "x",
        documentsDir: "d",
        controllerHostUrl: "not a url",
      }),
      /controllerHostUrl/,
    );
    await assert.rejects(
      parsePluginConfig(pineconePlugin.manifest.configSchema, {
        apiKey: "ключ",
        indexName: "x",
        documentsDir: "d",
      }),
      /apiKey: .*printable ASCII/,
    );
  });

  it("indexes the folder: vectors with their text and source upserted to Pinecone", async () => {
    const upsertsBefore = standIn.count("POST", "/vectors/upsert");
    const report = await plugin.index();
    assert.equal(report.indexedFiles, 4);
    assert.equal(report.files, 4);
    const stored = standIn.namespace("anna");
    assert.equal(stored.size, report.chunks);
    assert.ok(standIn.count("POST", "/vectors/upsert") - upsertsBefore >= Math.ceil(report.chunks / 3) - 1);
    const pdfVector = [...stored.values()].find((v) => v.metadata?.locator === "page=2");
    assert.equal(pdfVector?.metadata?.path, "договор.pdf");
    assert.match(String(pdfVector?.metadata?.text), /Арендная плата/);
    assert.equal(pdfVector?.values.length, embeddings.dimensions);
    assert.ok(pdfVector?.id.startsWith(pathPrefix("договор.pdf")));
  });

  it("retrieves the right document first, fusing the vector query with local full-text", async () => {
    const queriesBefore = standIn.count("POST", "/query");
    assert.equal(sources(await plugin.retrieve("арендная плата в месяц"))[0], "договор.pdf#page=2");
    assert.equal(sources(await plugin.retrieve("свекла"))[0], "рецепты/борщ.md#Борщ");
    assert.equal(sources(await plugin.retrieve("yellow trams"))[0], "travel.txt");
    assert.equal(standIn.count("POST", "/query") - queriesBefore, 3);
    const [top] = await plugin.retrieve("Мурка", { limit: 1 });
    assert.match(top?.text ?? "", /Мурка любит рыбу/);
    assert.match(top?.chunkId ?? "", /^[0-9a-f]{64}:\d+$/);
  });

  it("finds a chunk by vector alone (hybridWeight 1)", async () => {
    await plugin.stop();
    ({ plugin } = await start({ hybridWeight: 1 }));
    const [top] = await plugin.retrieve("Подача\n\nПодавать со сметаной и чесночными пампушками.");
    assert.equal(top?.source, "рецепты/борщ.md#Подача");
    await plugin.stop();
    ({ plugin } = await start());
  });

  it("re-indexes only an edited file and deletes its old vectors", async () => {
    const before = await plugin.index();
    assert.equal(before.indexedFiles, 0);
    assert.equal(before.unchangedFiles, 4);
    await writeFile(
      join(docs, "travel.txt"),
      "Trip to Porto in June. We crossed the Dom Luis bridge on foot.",
    );
    const report = await plugin.index();
    assert.equal(report.indexedFiles, 1);
    assert.equal(report.unchangedFiles, 3);
    const travel = [...standIn.namespace("anna").values()].filter((v) => v.metadata?.path === "travel.txt");
    assert.equal(travel.length, 1);
    assert.match(String(travel[0]?.metadata?.text), /Porto/);
    assert.equal(sources(await plugin.retrieve("Porto bridge"))[0], "travel.txt");
    assert.ok(!(await plugin.retrieve("Lisbon trams")).some((p) => /Lisbon/.test(p.text)));
  });

  it("deletes every vector of a removed file", async () => {
    const listsBefore = standIn.count("GET", "/vectors/list");
    await unlink(join(docs, "заметки", "кошки.md"));
    const report = await plugin.index();
    assert.equal(report.removedFiles, 1);
    assert.ok(standIn.count("GET", "/vectors/list") > listsBefore);
    assert.ok(![...standIn.namespace("anna").values()].some((v) => v.metadata?.path === "заметки/кошки.md"));
    assert.ok(!(await plugin.retrieve("Мурка")).some((p) => p.source.startsWith("заметки/кошки.md")));
  });

  it("keeps its local state across a restart", async () => {
    await plugin.stop();
    ({ plugin } = await start());
    const report = await plugin.index();
    assert.equal(report.indexedFiles, 0);
    assert.equal(report.unchangedFiles, 3);
    assert.equal(sources(await plugin.retrieve("арендная плата"))[0], "договор.pdf#page=2");
  });
});
