/**
 * The load profile of issue 9: many concurrent GraphQL clients (autocannon) against the platform on
 * embedded defaults while writers change clones and open graphql-ws subscriptions must see every event,
 * plus concurrent chats on a runtime. Returns figures; asserts nothing (bench/load.ts prints them, the
 * short profile in cli/test/loadShort.test.ts checks errors and lost events).
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@aiclone/testing/freePort";
import { startRuntime } from "aiclone-runtime";
import { initBundle } from "aiclone-runtime/bundle";
import { builtinPlugins } from "aiclone-runtime/cli";
import autocannon from "autocannon";
import { createClient } from "graphql-ws";
import OpenAI from "openai";
import { pino } from "pino";
import WebSocket from "ws";
import { PlatformHarness } from "../testing/platform/platformHarness.js";
import { percentile } from "./percentile.js";

export interface LoadOptions {
  seconds: number;
  /** Concurrent GraphQL clients (HTTP connections), each sending queries back to back. */
  clients: number;
  /** Open subscriptions (cloneEvents), spread over the clones the writers change. */
  subscriptions: number;
  /** Concurrent writers issuing mutations (events) during the run. */
  writers: number;
  /** Concurrent chats on the runtime (OpenAI API); 0 skips the runtime. */
  chats: number;
  modelPath: string;
}

export interface LoadReport {
  graphql: {
    requests: number;
    perSecond: number;
    p50Ms: number;
    p99Ms: number;
    /** Failed requests: connection errors (timeouts among them) and answers other than 2xx. */
    errors: number;
    /** Of the errors, requests unanswered after autocannon's 10 s. */
    timeouts: number;
  };
  mutations: { done: number; failed: number; p50Ms: number; p99Ms: number };
  /**
   * One query on a connection opened halfway through the run (not a writer's): how long a new client waits. The
   * server's listen queue is drained at one connection per event-loop turn (libuv), so under this load a new
   * connection queues behind the turns; the writers' connections are opened before the clock for that reason.
   */
  freshConnectionMs: number;
  subscriptions: { open: number; expectedEvents: number; receivedEvents: number; lost: number };
  chats: { done: number; failed: number; perSecond: number; p50Ms: number; p99Ms: number } | null;
}

const CLONES = 10;

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const harness = await PlatformHarness.start({ AICLONE_API__LIMITS__REQUESTS_PER_MINUTE: "100000000" });
  // The writers' connections: one kept alive per writer and never more, as a client's pool would hold them. A
  // connection opened during the run would wait in the server's listen queue, which libuv drains at one
  // connection per event-loop turn (see freshConnectionMs); fetch's pool opens one whenever none is free yet.
  const agent = new Agent({ keepAlive: true, maxSockets: Math.max(1, options.writers) });
  try {
    const url = harness.platform.graphqlUrl;
    const key = harness.platform.initialApiKey ?? "";
    const headers = { "content-type": "application/json", authorization: `Bearer ${key}` };
    const gql = async (query: string, variables: Record<string, unknown> = {}) => {
      const text = await postJson(url, headers, JSON.stringify({ query, variables }), agent);
      const body = JSON.parse(text) as { data?: Record<string, any>; errors?: unknown[] };
      if (body.errors?.length) throw new Error(JSON.stringify(body.errors));
      return body.data ?? {};
    };
    const clones: string[] = [];
    for (let i = 0; i < CLONES; i++)
      clones.push(
        (await gql("mutation ($n: String!) { createClone(input: {name: $n}) { id } }", { n: `Клон ${i}` }))
          .createClone.id,
      );

    // Subscriptions: each records the stream revisions it saw; none may be missing at the end.
    const seen: { cloneId: string; revisions: Set<number> }[] = [];
    const sockets = [];
    for (let i = 0; i < options.subscriptions; i++) {
      const cloneId = clones[i % CLONES]!;
      const entry = { cloneId, revisions: new Set<number>() };
      seen.push(entry);
      const client = createClient({
        url: url.replace(/^http/, "ws"),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${key}` },
        retryAttempts: 0,
      });
      sockets.push(client);
      client.subscribe(
        {
          query: "subscription ($id: ID!) { cloneEvents(id: $id) { revision } }",
          variables: { id: cloneId },
        },
        {
          next: (r) => entry.revisions.add((r.data as any).cloneEvents.revision),
          error: () => {},
          complete: () => {},
        },
      );
    }
    await new Promise((r) => setTimeout(r, 500));
    const startRevision = new Map<string, number>();
    for (const cloneId of clones) {
      const { cloneEvents } = await gql("query ($id: ID!) { cloneEvents(id: $id) { revision } }", {
        id: cloneId,
      });
      startRevision.set(cloneId, cloneEvents.at(-1).revision);
    }

    // The runtime loads its model before the clock starts.
    const chatRunner = options.chats > 0 ? await prepareChats(options) : null;
    // The writers' connections are opened before the clock.
    await Promise.all(Array.from({ length: options.writers }, () => gql("{ __typename }")));
    const deadline = Date.now() + options.seconds * 1000;
    const freshConnection = new Promise<void>((resolve) =>
      setTimeout(resolve, (options.seconds * 1000) / 2),
    ).then(
      // NaN: the connection failed (reported, not thrown: the run's other figures still count).
      () => timeOnNewConnection(url, headers).catch(() => Number.NaN),
    );
    const mutationLatencies: number[] = [];
    let mutationFailures = 0;
    const writer = async (w: number) => {
      for (let n = 0; Date.now() < deadline; n++) {
        const cloneId = clones[(w + n) % CLONES]!;
        const started = performance.now();
        try {
          await gql(
            'mutation ($id: ID!, $p: String!) { configurePersona(input: {cloneId: $id, displayName: "Аня", systemPrompt: $p, language: "ru"}) { id } }',
            { id: cloneId, p: `Ты — Аня. Вариант ${w}-${n}.` },
          );
          mutationLatencies.push(performance.now() - started);
        } catch {
          mutationFailures++;
        }
      }
    };
    const chats = chatRunner
      ? chatRunner.run(deadline).finally(() => chatRunner.stop())
      : Promise.resolve(null);
    const [cannon, , chatReport] = await Promise.all([
      autocannon({
        url,
        connections: options.clients,
        duration: options.seconds,
        method: "POST",
        headers,
        body: JSON.stringify({
          query: "{ clones(first: 20) { totalCount nodes { id name status revision } } }",
        }),
      }),
      Promise.all(Array.from({ length: options.writers }, (_, w) => writer(w))),
      chats,
    ]);

    // Every event written during the run reaches every subscription of its clone.
    let expected = 0;
    const endRevision = new Map<string, number>();
    for (const cloneId of clones) {
      const { cloneEvents } = await gql("query ($id: ID!) { cloneEvents(id: $id) { revision } }", {
        id: cloneId,
      });
      endRevision.set(cloneId, cloneEvents.at(-1).revision);
    }
    const settle = Date.now() + 15_000;
    const missing = () =>
      seen.reduce((sum, s) => {
        let m = 0;
        for (let r = startRevision.get(s.cloneId)! + 1; r <= endRevision.get(s.cloneId)!; r++)
          if (!s.revisions.has(r)) m++;
        return sum + m;
      }, 0);
    while (missing() > 0 && Date.now() < settle) await new Promise((r) => setTimeout(r, 200));
    for (const s of seen) expected += endRevision.get(s.cloneId)! - startRevision.get(s.cloneId)!;
    const lost = missing();
    const received = expected - lost;
    for (const client of sockets) await client.dispose();

    return {
      graphql: {
        requests: cannon.requests.total,
        perSecond: cannon.requests.average,
        p50Ms: cannon.latency.p50,
        p99Ms: cannon.latency.p99,
        // autocannon counts a timeout among its errors too: adding both would count it twice.
        errors: cannon.errors + cannon.non2xx,
        timeouts: cannon.timeouts,
      },
      mutations: {
        done: mutationLatencies.length,
        failed: mutationFailures,
        p50Ms: percentile(mutationLatencies, 50),
        p99Ms: percentile(mutationLatencies, 99),
      },
      subscriptions: {
        open: options.subscriptions,
        expectedEvents: expected,
        receivedEvents: received,
        lost,
      },
      freshConnectionMs: await freshConnection,
      chats: chatReport,
    };
  } finally {
    agent.destroy();
    await harness.destroy();
  }
}

/** Milliseconds from opening a new connection (no agent, no reuse) to the end of one query's answer. */
async function timeOnNewConnection(url: string, headers: Record<string, string>): Promise<number> {
  const started = performance.now();
  await postJson(url, headers, JSON.stringify({ query: "{ __typename }" }), false);
  return performance.now() - started;
}

/** POSTs a body and resolves with the answer's text (any status: GraphQL reports its errors in the body). */
function postJson(
  url: string,
  headers: Record<string, string>,
  body: string,
  agent: Agent | false,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** A runtime with the web plugin; `run` chats through its OpenAI-compatible API until the deadline. */
async function prepareChats(
  options: LoadOptions,
): Promise<{ run(deadline: number): Promise<LoadReport["chats"]>; stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "aiclone-load-runtime-"));
  const port = await freePort();
  const bundleDir = await initBundle({
    model: options.modelPath,
    name: "Аня",
    persona: "Ты — Аня. Отвечай коротко.",
    language: "ru",
    out: join(dir, "bundle"),
    plugins: [{ name: "web", config: { port } }],
  });
  const manifestPath = join(bundleDir, "clone.json");
  const manifest = JSON.parse(await readFile(manifestPath, "utf8"));
  manifest.generation.maxTokens = 16;
  await writeFile(manifestPath, JSON.stringify(manifest));
  const runtime = await startRuntime({
    bundleDir,
    threads: 1,
    registry: builtinPlugins,
    modelCacheDir: join(dir, "cache"),
    logger: pino({ level: "silent" }),
  });
  const openai = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: "loopback", maxRetries: 0 });
  const model = (await openai.models.list()).data[0]!.id;
  const run = async (deadline: number): Promise<LoadReport["chats"]> => {
    const latencies: number[] = [];
    let failed = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: options.chats }, async (_, c) => {
        while (Date.now() < deadline) {
          const t0 = performance.now();
          try {
            await openai.chat.completions.create({
              model,
              messages: [{ role: "user", content: `Привет! Это собеседник ${c}.` }],
              max_tokens: 16,
            });
            latencies.push(performance.now() - t0);
          } catch {
            failed++;
          }
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    return {
      done: latencies.length,
      failed,
      perSecond: latencies.length / seconds,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
    };
  };
  const stop = async () => {
    await runtime.stop();
    await rm(dir, { recursive: true, force: true });
  };
  return { run, stop };
}
