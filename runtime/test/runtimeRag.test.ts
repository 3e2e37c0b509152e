/**
 * RAG end to end with the real runtime and real plugins: a bundle with `web` and `lancedb` over a folder of
 * Russian and English md/txt documents (full-text search alone, no embedding model). A question whose
 * answer is in one document, asked through the chat page's API, comes back with that document cited first
 * in the `done` event's `sources`: the passages the runtime put into the prompt (ChatReply.sources).
 * The model has random weights: only the sources and the prompt size are checked, never the wording.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { RagPlugin } from "@aiclone/plugin-sdk";
import { freePort } from "@aiclone/testing/freePort";
import { tinyModelPath } from "@aiclone/testing/sharedData";
import { getLlama, type Llama, LlamaLogLevel } from "node-llama-cpp";
import { pino } from "pino";
import { initBundle } from "../bundle/initBundle.js";
import { type Runtime, startRuntime } from "../runtime.js";
import { doneEvent, pageTurn, realPlugins } from "./realPlugins.js";

const DOCUMENTS: Record<string, string> = {
  "дача/огород.md":
    "# Огород\n\nНа даче в Малиновке растут помидоры сорта «Бычье сердце». Поливать помидоры нужно " +
    "вечером, тёплой отстоянной водой, раз в три дня.\n\n# Забор\n\nЗабор покрасили в зелёный цвет прошлым летом.\n",
  "здоровье.txt":
    "У Пети аллергия на арахис и на пыльцу берёзы. Весной он пьёт таблетки от аллергии каждое утро.\n\n" +
    "Группа крови вторая положительная.",
  "рецепты/шарлотка.md":
    "# Шарлотка\n\nТри яйца взбить со стаканом сахара, добавить стакан муки и нарезанные кислые яблоки. " +
    "Печь сорок минут при 180 градусах.\n",
  "work/berlin-conference.md":
    "# Berlin conference\n\nMy talk on vector databases is scheduled for 14 October at 11:30 in hall B. " +
    "The slides are in the shared drive.\n\n# Hotel\n\nThe hotel is near Alexanderplatz, breakfast from 7.\n",
  "books.txt":
    "Favourite novels: The Master and Margarita, Dune, and The Left Hand of Darkness. " +
    "I reread Dune every winter.",
};

const fileOf = (source: string) => source.split("#")[0];

/** The web plugin's token: the OpenAI API retrieves only for a caller that presents it. */
const TOKEN = "rag-test-token-0123456789";
const AUTH = { authorization: `Bearer ${TOKEN}` };

describe("runtime + web + lancedb: answers cite the right document", () => {
  let dir: string;
  let docs: string;
  let llama: Llama;
  let runtime: Runtime;
  let baseUrl: string;
  let lancedb: RagPlugin;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "aiclone-rag-e2e-"));
    docs = join(dir, "документы");
    for (const [path, text] of Object.entries(DOCUMENTS)) {
      await mkdir(dirname(join(docs, path)), { recursive: true });
      await writeFile(join(docs, path), text);
    }
    llama = await getLlama({ gpu: false, logLevel: LlamaLogLevel.error });
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const bundleDir = await initBundle({
      model: tinyModelPath(),
      name: "Пётр",
      persona: "Ты — Пётр. Отвечай коротко.",
      language: "ru",
      out: join(dir, "bundle"),
      plugins: [
        { name: "web", config: { port, partnerName: "Мария", token: TOKEN } },
        { name: "lancedb", config: { documentsDir: docs } },
      ],
    });
    const manifestPath = join(bundleDir, "clone.json");
    const manifest = JSON.parse(await readFile(manifestPath, "utf8"));
    manifest.generation.maxTokens = 16;
    manifest.generation.temperature = 0;
    await writeFile(manifestPath, JSON.stringify(manifest));
    runtime = await startRuntime({
      bundleDir,
      llama,
      threads: 1,
      registry: realPlugins,
      modelCacheDir: join(dir, "cache"),
      logger: pino({ level: "silent" }),
    });
    const plugin = runtime.plugins.ragPlugin("lancedb");
    assert.ok(plugin, "the lancedb plugin is running");
    lancedb = plugin;
  });

  after(async () => {
    await runtime?.stop();
    await llama?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it("runs both plugins and indexes the documents", async () => {
    assert.deepEqual(
      runtime.status().map((s) => [s.name, s.kind, s.state]),
      [
        ["web", "channel", "running"],
        ["lancedb", "vector-store", "running"],
      ],
    );
    // The host indexes a RAG plugin's folder as soon as it runs, without being asked.
    let report: Record<string, unknown> | undefined;
    for (let i = 0; i < 300 && !report; i++) {
      report = runtime.status().find((s) => s.name === "lancedb")?.lastIndex;
      if (!report) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(report, "the documents were indexed at start");
    assert.equal(report.files, 5);
    assert.equal(Number(report.indexedFiles) + Number(report.unchangedFiles), 5);
    assert.ok(Number(report.chunks) >= 5, `${report.chunks} chunks`);
  });

  it("cites the Russian document that holds the answer first (page API sources)", async () => {
    const create = await fetch(`${baseUrl}/api/conversations`, {
      method: "POST",
      headers: { "content-type": "application/json", ...AUTH },
      body: "{}",
    });
    const { conversationId } = (await create.json()) as { conversationId: string };
    const done = doneEvent(
      await pageTurn(baseUrl, conversationId, "Когда и как поливать помидоры на даче?", TOKEN),
    );
    assert.ok(done.sources.length >= 1, "passages went into the prompt");
    assert.equal(fileOf(done.sources[0]!.source), "дача/огород.md", JSON.stringify(done.sources));
    for (const source of done.sources) assert.ok(fileOf(source.source)! in DOCUMENTS, source.source);
    const scores = done.sources.map((s) => s.score);
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => b - a),
      "best first",
    );

    // An inflected form (stemming follows the clone's language, ru) finds another document.
    const second = doneEvent(await pageTurn(baseUrl, conversationId, "На что у Пети аллергии?", TOKEN));
    assert.equal(fileOf(second.sources[0]!.source), "здоровье.txt", JSON.stringify(second.sources));
  });

  it("answers OpenAI clients with the token from the documents too, listing the sources", async () => {
    const models = (await (await fetch(`${baseUrl}/v1/models`, { headers: AUTH })).json()) as {
      data: { id: string }[];
    };
    const response = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", ...AUTH },
      body: JSON.stringify({
        model: models.data[0]!.id,
        messages: [{ role: "user", content: "Когда и как поливать помидоры на даче?" }],
        max_tokens: 4,
      }),
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { aiclone_sources: { source: string; text?: string }[] };
    assert.ok(
      body.aiclone_sources.every((s) => s.text === undefined),
      "sources without their text by default",
    );
    assert.equal(
      fileOf(body.aiclone_sources[0]!.source),
      "дача/огород.md",
      JSON.stringify(body.aiclone_sources),
    );
  });

  it("cites the English document for an English question", async () => {
    const done = doneEvent(
      await pageTurn(baseUrl, "rag-english", "When is my talk about vector databases in Berlin?", TOKEN),
    );
    assert.equal(fileOf(done.sources[0]!.source), "work/berlin-conference.md", JSON.stringify(done.sources));
  });

  it("puts the passages into the prompt (more prompt tokens than the same turn without retrieval)", async () => {
    const partner = { id: "owner", displayName: "Мария" };
    const text = "Сколько минут печь шарлотку?";
    const withPassages = await runtime.chat.chat("web", { conversationId: "rag-a", partner, text });
    const without = await runtime.chat.chat("web", {
      conversationId: "rag-b",
      partner,
      text,
      noRetrieval: true,
    });
    assert.equal(fileOf(withPassages.sources[0]!.source), "рецепты/шарлотка.md");
    assert.deepEqual(without.sources, []);
    assert.ok(
      withPassages.promptTokens > without.promptTokens + 20,
      `${withPassages.promptTokens} vs ${without.promptTokens} prompt tokens`,
    );
  });

  it("finds a document added later after an incremental re-index", async () => {
    await writeFile(
      join(docs, "машина.txt"),
      "Зимнюю резину на машине меняют в ноябре, шиномонтаж на улице Гагарина.",
    );
    const report = await lancedb.index();
    assert.equal(report.indexedFiles, 1);
    assert.equal(report.unchangedFiles, 5);
    const done = doneEvent(await pageTurn(baseUrl, "rag-car", "Когда менять зимнюю резину?", TOKEN));
    assert.equal(fileOf(done.sources[0]!.source), "машина.txt", JSON.stringify(done.sources));
  });
});
