import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  type ChatReply,
  type DocumentReader,
  definePlugin,
  type IndexedFile,
  type PluginContext,
  type PluginDefinition,
  type StoredChunk,
  type VectorStore,
} from "@aiclone/plugin-sdk";
import { waitFor } from "@aiclone/testing/until";
import { pino } from "pino";
import { z } from "zod";
import { openRuntimeDatabase, type RuntimeDatabase } from "../../memory/runtimeDatabase.js";
import { type ConversationServices, PluginHost, type PluginHostOptions } from "../pluginHost.js";
import type { LoadedPlugin } from "../pluginLoader.js";
import { backoffDelay, DEFAULT_BACKOFF } from "../restartBackoff.js";

const okReply = (text: string): ChatReply => ({
  text,
  finishReason: "stop",
  promptTokens: 1,
  completionTokens: 1,
  sources: [],
});

const services: ConversationServices = {
  chat: async (channel, request) => okReply(`${channel}: ${request.text}`),
  complete: async () => okReply("completed"),
  history: () => [],
  conversations: () => [],
  forget: () => {},
  correct: () => ({ id: "correction-1", replacedInMemory: false }),
};

const noDocuments: DocumentReader = {
  list: async () => [],
  chunks: async () => [],
};

const loaded = (definition: PluginDefinition, config: unknown = {}): LoadedPlugin => ({
  name: definition.manifest.name,
  definition,
  config,
  origin: "test",
});

describe("PluginHost", () => {
  let dir: string;
  let db: RuntimeDatabase;
  const hosts: PluginHost[] = [];
  const host = (plugins: LoadedPlugin[], extra: Partial<PluginHostOptions> = {}) => {
    const h = new PluginHost(plugins, {
      services,
      db,
      logger: pino({ level: "silent" }),
      dataDir: dir,
      clone: { id: "c1", version: 1, displayName: "Маша", language: "ru" },
      embeddings: null,
      documents: noDocuments,
      backoff: { initialMs: 20, maxMs: 80, resetAfterMs: 60_000 },
      ...extra,
    });
    hosts.push(h);
    return h;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "aiclone-host-"));
    db = openRuntimeDatabase(join(dir, "runtime.sqlite"));
  });
  after(async () => {
    for (const h of hosts) await h.stop();
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("backs off 1 s, 2 s, 4 s … up to 60 s", () => {
    assert.deepEqual(
      [1, 2, 3, 4, 7, 8, 20].map((n) => backoffDelay(DEFAULT_BACKOFF, n)),
      [1000, 2000, 4000, 8000, 60_000, 60_000, 60_000],
    );
  });

  it("restarts a plugin whose start() throws, with growing delays, while another keeps serving", async () => {
    const starts: number[] = [];
    const crasher = definePlugin({
      manifest: {
        name: "crasher",
        kind: "channel",
        version: "1.0.0",
        apiVersion: "^1",
        configSchema: z.object({}),
      },
      create: () => ({
        start: async () => {
          starts.push(Date.now());
          throw new Error("boom");
        },
        stop: async () => {},
      }),
    });
    let context: PluginContext<unknown> | undefined;
    const healthy = definePlugin({
      manifest: {
        name: "healthy",
        kind: "channel",
        version: "1.0.0",
        apiVersion: "^1",
        configSchema: z.object({}),
      },
      create: (ctx) => {
        context = ctx;
        return { start: async () => {}, stop: async () => {} };
      },
    });
    const h = host([loaded(crasher), loaded(healthy)]);
    await h.start();
    await waitFor(() => starts.length >= 4, "four starts");
    const gaps = starts.slice(1).map((t, i) => t - (starts[i] as number));
    assert.ok((gaps[0] as number) >= 15, `first gap ${gaps[0]} ms`);
    assert.ok((gaps[2] as number) >= 60, `third gap ${gaps[2]} ms (backoff 80 ms)`);
    const status = Object.fromEntries(h.status().map((s) => [s.name, s]));
    assert.equal(status.healthy?.state, "running");
    assert.match(status.crasher?.state ?? "", /restarting|starting/);
    assert.ok((status.crasher?.restarts ?? 0) >= 3);
    assert.equal(status.crasher?.lastError, "boom");
    const reply = await context?.chat({
      conversationId: "1",
      partner: { id: "p", displayName: "Оля" },
      text: "Привет",
    });
    assert.equal(reply?.text, "healthy: Привет");
  });

  it("restarts a plugin that calls fail(), aborting the old incarnation's signal", async () => {
    const contexts: PluginContext<unknown>[] = [];
    let stops = 0;
    const flaky = definePlugin({
      manifest: {
        name: "flaky",
        kind: "channel",
        version: "1.0.0",
        apiVersion: "^1",
        configSchema: z.object({}),
      },
      create: (ctx) => {
        contexts.push(ctx);
        return {
          start: async () => {},
          stop: async () => {
            stops++;
          },
        };
      },
    });
    const h = host([loaded(flaky)]);
    await h.start();
    assert.equal(h.status()[0]?.state, "running");
    contexts[0]?.fail(new Error("gateway connection dropped"));
    assert.equal(contexts[0]?.signal.aborted, true);
    assert.equal(h.status()[0]?.state, "restarting");
    await waitFor(() => h.status()[0]?.state === "running" && contexts.length === 2, "the restart");
    assert.equal(stops, 1);
    assert.equal(h.status()[0]?.restarts, 1);
    // A late fail() from the old incarnation changes nothing.
    contexts[0]?.fail(new Error("late"));
    assert.equal(h.status()[0]?.state, "running");
    await h.stop();
    assert.equal(h.status()[0]?.state, "stopped");
    assert.equal(contexts[1]?.signal.aborted, true);
    assert.equal(stops, 2);
  });

  it("treats a start() that never resolves as a failure, and gives up after the configured failures", async () => {
    const hanging = definePlugin({
      manifest: {
        name: "hanging",
        kind: "channel",
        version: "1.0.0",
        apiVersion: "^1",
        configSchema: z.object({}),
      },
      create: () => ({ start: () => new Promise<void>(() => {}), stop: async () => {} }),
    });
    const h = host([loaded(hanging)], { startTimeoutMs: 30, maxConsecutiveFailures: 1 });
    await h.start();
    await waitFor(() => h.status()[0]?.state === "failed", "failed state");
    assert.match(h.status()[0]?.lastError ?? "", /start\(\) did not finish within 30 ms/);
  });

  it("gives each plugin its own storage, data folder and the clone's identity", async () => {
    // Plugins start concurrently, so the contexts are kept by plugin name, not in creation order.
    const seen = new Map<string, PluginContext<unknown>>();
    const make = (name: string) =>
      definePlugin({
        manifest: { name, kind: "channel", version: "1.0.0", apiVersion: "^1", configSchema: z.object({}) },
        create: (ctx) => {
          seen.set(name, ctx);
          return { start: () => ctx.storage.set("owner", name), stop: async () => {} };
        },
      });
    const h = host([loaded(make("a")), loaded(make("b"))]);
    await h.start();
    const [a, b] = [seen.get("a"), seen.get("b")];
    assert.deepEqual(await Promise.all([a?.storage.get("owner"), b?.storage.get("owner")]), ["a", "b"]);
    assert.notEqual(a?.dataDir, b?.dataDir);
    assert.equal(a?.clone.displayName, "Маша");
  });

  it("offers running RAG plugins as retrievers", async () => {
    const rag = definePlugin({
      manifest: { name: "docs", kind: "rag", version: "1.0.0", apiVersion: "^1", configSchema: z.object({}) },
      create: () => ({
        start: async () => {},
        stop: async () => {},
        index: async () => ({
          files: 0,
          indexedFiles: 0,
          unchangedFiles: 0,
          removedFiles: 0,
          chunks: 0,
          skipped: [],
        }),
        retrieve: async () => [],
      }),
    });
    const h = host([loaded(rag)]);
    await h.start();
    assert.deepEqual(
      h.retrievers().map((r) => r.name),
      ["docs"],
    );
    await h.stop();
    assert.deepEqual(h.retrievers(), []);
  });

  it("runs a vector-store plugin inside the runtime's indexer: indexed at start, retrieved from, closed on stop", async () => {
    const calls: string[] = [];
    const chunks: StoredChunk[] = [];
    const files: Record<string, IndexedFile> = {};
    const store: VectorStore = {
      hasVectors: false,
      writeBatch: 0,
      open: async () => void calls.push("open"),
      close: async () => void calls.push("close"),
      files: async () => ({ ...files }),
      writeFiles: async (written) => {
        for (const { document, chunks: own } of written) {
          chunks.push(...own);
          files[document.path] = { sha256: document.sha256, chunks: own.length };
        }
      },
      removeFiles: async () => {},
      settle: async () => {},
      nearest: async () => [],
      fullText: async (query) =>
        chunks
          .filter((chunk) => chunk.text.includes(query))
          .map(({ chunkId, path, locator, text }) => ({ chunkId, path, locator, text })),
    };
    const document = { path: "кошки.md", sha256: "c".repeat(64), size: 30 };
    const documents: DocumentReader = {
      list: async () => [document],
      chunks: async () => [
        {
          chunkId: `${document.sha256}:0`,
          path: document.path,
          ordinal: 0,
          text: "Мурка спит на подоконнике",
        },
      ],
    };
    const definition = definePlugin({
      manifest: {
        name: "store",
        kind: "vector-store",
        version: "1.0.0",
        apiVersion: "^1.1",
        configSchema: z.object({
          documentsDir: z.string(),
          chunkLimit: z.number(),
          hybridWeight: z.number(),
        }),
      },
      create: () => store,
    });
    const h = host([loaded(definition, { documentsDir: dir, chunkLimit: 800, hybridWeight: 0 })], {
      documents,
    });
    await h.start();
    await waitFor(() => Boolean(h.status()[0]?.lastIndex), "the first index run", 5_000);
    assert.deepEqual(
      h.status().map((s) => [s.name, s.kind, s.state]),
      [["store", "vector-store", "running"]],
    );
    const passages = await h.ragPlugin("store")?.retrieve("Мурка");
    assert.deepEqual(
      passages?.map((p) => p.text),
      ["Мурка спит на подоконнике"],
    );
    assert.deepEqual(
      h.retrievers().map((r) => r.name),
      ["store"],
    );
    await h.stop();
    assert.deepEqual(calls, ["open", "close"]);
  });
});
