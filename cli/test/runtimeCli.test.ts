/**
 * `aiclone runtime start` as its own process, end to end: `aiclone bundle init` on the tiny model, the
 * runtime started with `--port --threads 1`, the official `openai` client (streaming and not) and
 * `/v1/models`, the chat page, and a conversation through the page's API that survives a restart of the
 * process. The model has random weights, so the tests check the protocol and memory, never the wording.
 */
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { freePort } from "@aiclone/testing/freePort";
import { tinyModelPath } from "@aiclone/testing/sharedData";
import OpenAI from "openai";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const aiclone = join(repoRoot, "bin", "aiclone");
const tinyModel = tinyModelPath();
const START_TIMEOUT_MS = 30_000;

interface RunningRuntime {
  child: ChildProcess;
  baseUrl: string;
  stdout: () => string;
  stderr: () => string;
}

/** Spawns `aiclone runtime start` and resolves once it prints that it is running. */
async function startProcess(bundleDir: string, dataDir: string, cacheDir: string): Promise<RunningRuntime> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      aiclone,
      "runtime",
      "start",
      "--bundle",
      bundleDir,
      "--port",
      String(port),
      "--threads",
      "1",
      "--data-dir",
      dataDir,
      "--model-cache",
      cacheDir,
    ],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, AICLONE_LOG_LEVEL: "info" } },
  );
  let out = "";
  let err = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString("utf8");
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`runtime did not start in ${START_TIMEOUT_MS} ms\n${out}\n${err}`)),
      START_TIMEOUT_MS,
    );
    const check = () => {
      if (out.includes("is running")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`runtime exited with ${code} before starting\n${out}\n${err}`));
    });
  });
  return { child, baseUrl: `http://127.0.0.1:${port}`, stdout: () => out, stderr: () => err };
}

/** SIGTERM, as Ctrl-C would: the runtime stops its plugins, engine and database and exits 0. */
async function stopProcess(running: RunningRuntime): Promise<number | null> {
  if (running.child.exitCode !== null) return running.child.exitCode;
  const exited = new Promise<number | null>((resolve) => running.child.once("exit", (code) => resolve(code)));
  running.child.kill("SIGTERM");
  return exited;
}

type PageEvent =
  | { type: "text"; text: string }
  | { type: "done"; text: string; finishReason: string; sources: { source: string; score: number }[] }
  | { type: "error"; message: string };

/** One turn through the chat page's API: the SSE events it streamed. */
async function pageTurn(baseUrl: string, conversationId: string, text: string): Promise<PageEvent[]> {
  const response = await fetch(`${baseUrl}/api/conversations/${conversationId}/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  assert.match(response.headers.get("content-type") ?? "", /text\/event-stream/);
  const body = await response.text();
  return body
    .split("\n\n")
    .filter((frame) => frame.startsWith("data: "))
    .map((frame) => JSON.parse(frame.slice("data: ".length)) as PageEvent);
}

describe("aiclone runtime start (separate process, tiny model, web plugin)", () => {
  let dir: string;
  let bundleDir: string;
  let dataDir: string;
  let cacheDir: string;
  let cloneId: string;
  let running: RunningRuntime | undefined;
  let conversationId: string;
  let firstReply: string;
  const firstQuestion = "Привет! Меня зовут Мария, моего кота зовут Барсик.";

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "aiclone-runtime-cli-"));
    bundleDir = join(dir, "bundle");
    dataDir = join(dir, "data");
    cacheDir = join(dir, "cache");
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        aiclone,
        "bundle",
        "init",
        "--model",
        tinyModel,
        "--name",
        "Пётр",
        "--language",
        "ru",
        "--persona",
        "Ты — Пётр. Отвечай коротко, как в мессенджере.",
        "--out",
        bundleDir,
      ],
      { cwd: repoRoot },
    );
    assert.ok(stdout.length > 0, "bundle init says what it wrote");
    const manifestPath = join(bundleDir, "clone.json");
    const manifest = JSON.parse(await readFile(manifestPath, "utf8"));
    assert.deepEqual(
      manifest.plugins.map((p: { name: string }) => p.name),
      ["web"],
      "bundle init enables the web plugin",
    );
    cloneId = manifest.clone.id;
    // Short greedy replies keep the test fast and repeatable (random weights could sample an end token
    // first); the page's partner gets a Cyrillic name.
    manifest.generation.maxTokens = 24;
    manifest.generation.temperature = 0;
    manifest.plugins[0].config = { partnerName: "Мария" };
    await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
    running = await startProcess(bundleDir, dataDir, cacheDir);
  });

  after(async () => {
    if (running) await stopProcess(running);
    await rm(dir, { recursive: true, force: true });
  });

  const client = () => new OpenAI({ baseURL: `${running!.baseUrl}/v1`, apiKey: "not-needed-on-loopback" });

  it("prints each plugin's state and lists the clone as the one model", async () => {
    assert.match(running!.stdout(), /web \(channel\): running/);
    assert.match(running!.stdout(), /Пётр is running/);
    const models = await client().models.list();
    assert.deepEqual(
      models.data.map((m) => [m.id, m.object, m.owned_by]),
      [[cloneId, "model", "aiclone"]],
    );
    const one = await client().models.retrieve(cloneId);
    assert.equal(one.id, cloneId);
    await assert.rejects(client().models.retrieve("gpt-4o"), OpenAI.NotFoundError);
  });

  it("answers a non-streaming chat completion with consistent usage", async () => {
    const completion = await client().chat.completions.create({
      model: cloneId,
      messages: [
        { role: "system", content: "Ты — Пётр." },
        { role: "user", content: "Как прошли выходные на даче?" },
      ],
      max_tokens: 12,
      temperature: 0,
    });
    assert.equal(completion.object, "chat.completion");
    assert.equal(completion.model, cloneId);
    assert.match(completion.id, /^chatcmpl-/);
    assert.equal(completion.choices.length, 1);
    const choice = completion.choices[0]!;
    assert.equal(choice.message.role, "assistant");
    assert.equal(typeof choice.message.content, "string");
    assert.ok(["stop", "length"].includes(choice.finish_reason), choice.finish_reason);
    const usage = completion.usage!;
    assert.ok(usage.prompt_tokens > 5, `prompt_tokens ${usage.prompt_tokens}`);
    assert.ok(usage.completion_tokens >= 1 && usage.completion_tokens <= 12, `${usage.completion_tokens}`);
    assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
    if (choice.finish_reason === "length") assert.equal(usage.completion_tokens, 12);
  });

  it("streams a chat completion: role first, content pieces, one finish reason, usage last", async () => {
    const messages = [{ role: "user" as const, content: "Расскажи про свою собаку, пожалуйста." }];
    const stream = await client().chat.completions.create({
      model: cloneId,
      messages,
      max_tokens: 16,
      temperature: 0,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    assert.ok(chunks.length >= 4, `${chunks.length} chunks`);
    assert.equal(chunks[0]?.choices[0]?.delta.role, "assistant");
    assert.ok(chunks.every((c) => c.object === "chat.completion.chunk" && c.model === cloneId));
    assert.equal(new Set(chunks.map((c) => c.id)).size, 1, "one id for the whole stream");
    const finishes = chunks.flatMap((c) => c.choices.map((ch) => ch.finish_reason).filter(Boolean));
    assert.equal(finishes.length, 1);
    const usageChunk = chunks.at(-1)!;
    assert.deepEqual(usageChunk.choices, []);
    const usage = usageChunk.usage!;
    assert.ok(usage.completion_tokens >= 1 && usage.completion_tokens <= 16);
    const streamed = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    const contentChunks = chunks.filter((c) => (c.choices[0]?.delta.content ?? "").length > 0);
    assert.ok(contentChunks.length >= 2, "the text arrived in pieces, not at the end");

    // Greedy decoding: the same request without streaming gives the same text and token counts.
    const whole = await client().chat.completions.create({
      model: cloneId,
      messages,
      max_tokens: 16,
      temperature: 0,
    });
    assert.equal(whole.choices[0]?.message.content, streamed);
    assert.equal(whole.usage?.completion_tokens, usage.completion_tokens);
    assert.equal(whole.usage?.prompt_tokens, usage.prompt_tokens);
  });

  it("refuses a bad request with the parameter named", async () => {
    await assert.rejects(
      client().chat.completions.create({
        model: cloneId,
        messages: [{ role: "tool" as "user", content: "x" }],
      }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.param === "messages[0].role",
    );
  });

  it("serves the chat page", async () => {
    const response = await fetch(`${running!.baseUrl}/`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /text\/html/);
    const html = await response.text();
    assert.match(html, /<!doctype html>/i);
    assert.match(html, /\/api\/conversations/, "the page talks to its API");
    const info = (await (await fetch(`${running!.baseUrl}/api/info`)).json()) as {
      clone: { displayName: string };
      model: string;
    };
    assert.equal(info.clone.displayName, "Пётр");
    assert.equal(info.model, cloneId);
  });

  it("streams a turn through the page's API and remembers it", async () => {
    const created = await fetch(`${running!.baseUrl}/api/conversations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    assert.equal(created.status, 201);
    conversationId = ((await created.json()) as { conversationId: string }).conversationId;
    const events = await pageTurn(running!.baseUrl, conversationId, firstQuestion);
    const done = events.at(-1);
    assert.equal(done?.type, "done");
    const pieces = events.filter((e): e is { type: "text"; text: string } => e.type === "text");
    assert.ok(pieces.length >= 2, `${pieces.length} text events`);
    if (done?.type !== "done") return;
    assert.equal(pieces.map((p) => p.text).join(""), done.text);
    assert.deepEqual(done.sources, [], "no RAG plugin, no sources");
    firstReply = done.text;
  });

  it("keeps the conversation across a restart of the process", async () => {
    assert.equal(await stopProcess(running!), 0, `exit code; stderr:\n${running!.stderr().slice(-2000)}`);
    assert.match(running!.stderr(), /runtime stopped/);
    running = await startProcess(bundleDir, dataDir, cacheDir);

    const list = (await (await fetch(`${running.baseUrl}/api/conversations`)).json()) as {
      conversations: { conversationId: string; partner: { displayName: string } }[];
    };
    const conversation = list.conversations.find((c) => c.conversationId === conversationId);
    assert.ok(conversation, `conversation ${conversationId} in ${JSON.stringify(list)}`);
    assert.equal(conversation.partner.displayName, "Мария");

    const historyUrl = `${running.baseUrl}/api/conversations/${conversationId}/messages`;
    const history = (await (await fetch(historyUrl)).json()) as {
      messages: { role: string; content: string }[];
    };
    assert.deepEqual(history.messages, [
      { role: "user", content: firstQuestion },
      { role: "assistant", content: firstReply },
    ]);

    // The conversation goes on after the restart.
    const events = await pageTurn(running.baseUrl, conversationId, "А как зовут моего кота?");
    assert.equal(events.at(-1)?.type, "done");
    const after = (await (await fetch(historyUrl)).json()) as { messages: { role: string }[] };
    assert.deepEqual(
      after.messages.map((m) => m.role),
      ["user", "assistant", "user", "assistant"],
    );
  });
});
