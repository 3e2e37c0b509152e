/** The web channel end to end over real HTTP: the official `openai` client, fetch for the page API. */
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, it } from "node:test";
import { createFakeContext, type FakeContext, parseConfig } from "@aiclone/plugin-sdk/testing";
import { waitFor } from "@aiclone/testing/until";
import OpenAI from "openai";
import { WebChannel } from "../webChannel.js";
import { type WebConfig, webConfigSchema } from "../webConfig.js";

const EXPECTED = "Привет, это клон. Ты написал: Как дела?";

async function startChannel(config: unknown): Promise<{ channel: WebChannel; ctx: FakeContext<WebConfig> }> {
  const ctx = createFakeContext({ config: await parseConfig(webConfigSchema, config) });
  const channel = new WebChannel(ctx);
  await channel.start();
  return { channel, ctx };
}

/** Reads an SSE body into its `data:` payloads. */
async function ssePayloads(res: Response): Promise<{ raw: string; payloads: string[] }> {
  const raw = await res.text();
  assert.ok(raw.endsWith("\n\n"), "the stream must end with a complete event");
  const payloads = raw
    .split("\n\n")
    .filter(Boolean)
    .map((event) => {
      assert.match(event, /^data: /, `not an SSE data event: ${event}`);
      return event.slice("data: ".length);
    });
  return { raw, payloads };
}

describe("web channel without a token (loopback)", () => {
  let channel: WebChannel;
  let ctx: FakeContext<WebConfig>;
  let url: string;
  let client: OpenAI;
  before(async () => {
    // A frame per piece here (streamIntervalMs 0); the coalescing default has its own tests below.
    ({ channel, ctx } = await startChannel({ port: 0, partnerName: "Мария", streamIntervalMs: 0 }));
    url = channel.address().url;
    client = new OpenAI({ baseURL: `${url}/v1`, apiKey: "unused", maxRetries: 0 });
  });
  after(() => channel.stop());

  it("lists the clone as the one model", async () => {
    const models = await client.models.list();
    assert.deepEqual(
      models.data.map((m) => m.id),
      ["anna-clone"],
    );
    const model = await client.models.retrieve("anna-clone");
    assert.equal(model.owned_by, "aiclone");
  });

  it("answers a non-streaming completion with usage (openai client)", async () => {
    const completion = await client.chat.completions.create({
      model: "anna-clone",
      messages: [
        { role: "system", content: "Ты — Анна." },
        { role: "user", content: "Как дела?" },
      ],
      max_tokens: 64,
      temperature: 0.2,
    });
    assert.equal(completion.object, "chat.completion");
    assert.equal(completion.model, "anna-clone");
    assert.equal(completion.choices[0]?.message.content, EXPECTED);
    assert.equal(completion.choices[0]?.finish_reason, "stop");
    const usage = completion.usage!;
    assert.ok(usage.prompt_tokens > 0 && usage.completion_tokens > 0);
    assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
    const sent = ctx.completionRequests.at(-1)!;
    assert.deepEqual(sent.messages.at(-1), { role: "user", content: "Как дела?" });
    assert.equal(sent.maxTokens, 64);
    assert.equal(sent.temperature, 0.2);
  });

  it("streams a completion chunk by chunk (openai client)", async () => {
    const stream = await client.chat.completions.create({
      model: "anna-clone",
      messages: [{ role: "user", content: "Как дела?" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    assert.equal(text, EXPECTED);
    assert.equal(chunks[0]?.choices[0]?.delta.role, "assistant");
    assert.ok(chunks.length >= 8, `expected a chunk per piece, got ${chunks.length}`);
    const finish = chunks.filter((c) => c.choices[0]?.finish_reason);
    assert.equal(finish.length, 1);
    assert.equal(finish[0]?.choices[0]?.finish_reason, "stop");
    const last = chunks.at(-1)!;
    assert.deepEqual(last.choices, []);
    assert.ok(last.usage && last.usage.total_tokens > 0);
    assert.ok(chunks.every((c) => c.object === "chat.completion.chunk" && c.id === chunks[0]?.id));
  });

  it("frames the stream exactly as OpenAI: data: {...}\\n\\n, ending with data: [DONE]", async () => {
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "anna-clone",
        messages: [{ role: "user", content: "Как дела?" }],
        stream: true,
      }),
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
    const { raw, payloads } = await ssePayloads(res);
    assert.ok(raw.endsWith("data: [DONE]\n\n"));
    assert.equal(payloads.filter((p) => p === "[DONE]").length, 1);
    const json = payloads.slice(0, -1).map((p) => JSON.parse(p));
    assert.equal(json.map((c) => c.choices[0].delta.content ?? "").join(""), EXPECTED);
    assert.ok(
      json.every((c) => !("usage" in c)),
      "usage only when stream_options.include_usage",
    );
  });

  it("answers bad requests with OpenAI error JSON naming the field", async () => {
    await assert.rejects(
      client.chat.completions.create({
        model: "anna-clone",
        messages: [{ role: "tool" as "user", content: "Привет" }],
      }),
      (error: unknown) => {
        assert.ok(error instanceof OpenAI.BadRequestError);
        assert.equal(error.param, "messages[0].role");
        assert.equal(error.type, "invalid_request_error");
        return true;
      },
    );
    await assert.rejects(
      client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "Привет" }] }),
      (error: unknown) => error instanceof OpenAI.NotFoundError && error.param === "model",
    );
    const notJson = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{не json",
    });
    assert.equal(notJson.status, 400);
    assert.match(((await notJson.json()) as any).error.message, /not valid JSON/);
    // text/plain is what a foreign page could post without a CORS preflight.
    const plain = await fetch(`${url}/v1/chat/completions`, { method: "POST", body: "{}" });
    assert.equal(plain.status, 415);
  });

  it("aborts the generation when a streaming client disconnects", async () => {
    ctx.script.pieceDelayMs = 40;
    ctx.script.pieces = () => Array.from({ length: 200 }, (_, i) => `слово${i} `);
    try {
      const controller = new AbortController();
      const res = await fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          model: "anna-clone",
          messages: [{ role: "user", content: "Длинно" }],
          stream: true,
        }),
        signal: controller.signal,
      });
      const reader = res.body!.getReader();
      await reader.read();
      controller.abort();
      await waitFor(() => ctx.aborted.includes("completion"), "the completion to be aborted", 3000);
    } finally {
      ctx.script.pieceDelayMs = 5;
      ctx.script.pieces = (r) => ["Привет", ", ", "это ", "клон", ". Ты написал: ", r.text];
    }
  });

  it("serves the chat page in the clone's language, and its icon", async () => {
    const res = await fetch(`${url}/`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
    assert.match(res.headers.get("content-security-policy") ?? "", /img-src 'self' data:/);
    const html = await res.text();
    assert.match(html, /Напишите сообщение/);
    assert.match(html, /<html lang="ru">/);
    assert.match(html, /<title>Анна — Чат с клоном<\/title>/);
    assert.match(html, /<button id="send" type="submit">Отправить<\/button>/);
    const icon = await fetch(`${url}/favicon.ico`);
    assert.equal(icon.status, 200);
    assert.equal(icon.headers.get("content-type"), "image/svg+xml");
    assert.match(await icon.text(), /^<svg /);
  });

  it("runs a conversation through the page API: new, streamed turn, history, list, forget", async () => {
    const created = await fetch(`${url}/api/conversations`, { method: "POST" });
    assert.equal(created.status, 201);
    const { conversationId } = (await created.json()) as { conversationId: string };
    const turn = await fetch(`${url}/api/conversations/${conversationId}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "Как дела?" }),
    });
    assert.match(turn.headers.get("content-type") ?? "", /^text\/event-stream/);
    const events = (await ssePayloads(turn)).payloads.map((p) => JSON.parse(p));
    assert.equal(
      events
        .filter((e) => e.type === "text")
        .map((e) => e.text)
        .join(""),
      EXPECTED,
    );
    assert.deepEqual(events.at(-1), { type: "done", text: EXPECTED, finishReason: "stop", sources: [] });
    assert.deepEqual(ctx.chatRequests.at(-1)?.partner, { id: "web-owner", displayName: "Мария" });

    const history = (await (
      await fetch(`${url}/api/conversations/${conversationId}/messages`)
    ).json()) as any;
    assert.deepEqual(history.messages, [
      { role: "user", content: "Как дела?" },
      { role: "assistant", content: EXPECTED },
    ]);
    const list = (await (await fetch(`${url}/api/conversations`)).json()) as any;
    assert.equal(list.conversations[0].conversationId, conversationId);
    assert.equal(list.conversations[0].title, "Как дела?");

    const forgotten = await fetch(`${url}/api/conversations/${conversationId}`, { method: "DELETE" });
    assert.equal(forgotten.status, 204);
    const after = (await (await fetch(`${url}/api/conversations`)).json()) as any;
    assert.equal(after.conversations.length, 0);
  });

  it("names bad page API input", async () => {
    const badId = await fetch(`${url}/api/conversations/${encodeURIComponent("../etc")}/messages`);
    assert.equal(badId.status, 400);
    assert.equal(((await badId.json()) as any).error.param, "conversationId");
    const empty = await fetch(`${url}/api/conversations/web-1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "   " }),
    });
    assert.equal(empty.status, 400);
    assert.equal(((await empty.json()) as any).error.param, "text");
    const unknown = await fetch(`${url}/api/nothing`);
    assert.equal(unknown.status, 404);
  });

  it("aborts a page turn when the browser goes away", async () => {
    ctx.script.pieceDelayMs = 40;
    ctx.script.pieces = () => Array.from({ length: 200 }, (_, i) => `слово${i} `);
    try {
      const controller = new AbortController();
      const res = await fetch(`${url}/api/conversations/web-abort/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ text: "Расскажи длинно" }),
        signal: controller.signal,
      });
      await res.body!.getReader().read();
      controller.abort();
      await waitFor(() => ctx.aborted.includes("web-abort"), "the chat turn to be aborted", 3000);
    } finally {
      ctx.script.pieceDelayMs = 5;
    }
  });

  it("refuses a foreign Host name (DNS rebinding) when no token is set", async () => {
    const { port } = channel.address();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({
        host: "127.0.0.1",
        port,
        path: "/api/conversations",
        headers: { host: "evil.example" },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    assert.equal(status, 403);
  });
});

describe("web channel with a token", () => {
  const token = "test-token-0123456789abcdef";
  let channel: WebChannel;
  let url: string;
  before(async () => {
    ({ channel } = await startChannel({ port: 0, token }));
    url = channel.address().url;
  });
  after(() => channel.stop());

  it("refuses API calls without the right bearer token", async () => {
    const wrong = new OpenAI({ baseURL: `${url}/v1`, apiKey: "wrong-token", maxRetries: 0 });
    await assert.rejects(wrong.models.list(), OpenAI.AuthenticationError);
    const none = await fetch(`${url}/api/conversations`);
    assert.equal(none.status, 401);
    assert.equal(none.headers.get("www-authenticate"), 'Bearer realm="aiclone"');
  });

  it("serves API calls with the token, and the page without it", async () => {
    const right = new OpenAI({ baseURL: `${url}/v1`, apiKey: token, maxRetries: 0 });
    const completion = await right.chat.completions.create({
      model: "anna-clone",
      messages: [{ role: "user", content: "Как дела?" }],
    });
    assert.equal(completion.choices[0]?.message.content, EXPECTED);
    const page = await fetch(`${url}/`);
    assert.equal(page.status, 200);
    assert.equal((await fetch(`${url}/favicon.ico`)).status, 200, "the icon needs no token either");
    const list = await fetch(`${url}/api/conversations`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(list.status, 200);
  });
});

describe("web channel streaming with coalesced frames", () => {
  let channel: WebChannel;
  let url: string;
  before(async () => {
    // The fake context streams a piece every 5 ms: within 1 s everything after the first piece is one frame.
    ({ channel } = await startChannel({ port: 0, streamIntervalMs: 1000 }));
    url = channel.address().url;
  });
  after(() => channel.stop());

  it("defaults to one frame per 50 ms", async () => {
    assert.equal((await parseConfig(webConfigSchema, { port: 0 })).streamIntervalMs, 50);
  });

  it("sends the first text at once and the rest joined, nothing lost (OpenAI API)", async () => {
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: "unused", maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: "anna-clone",
      messages: [{ role: "user", content: "Как дела?" }],
      stream: true,
    });
    const contents: string[] = [];
    for await (const chunk of stream) {
      const content = chunk.choices[0]?.delta.content;
      if (content) contents.push(content);
    }
    assert.equal(contents.join(""), EXPECTED);
    assert.equal(contents.length, 2, `expected the first piece, then the rest: ${JSON.stringify(contents)}`);
  });

  it("sends the first text at once and the rest joined, nothing lost (page API)", async () => {
    const turn = await fetch(`${url}/api/conversations/c-coalesced/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "Как дела?" }),
    });
    const events = (await ssePayloads(turn)).payloads.map((p) => JSON.parse(p));
    const texts = events.filter((e) => e.type === "text").map((e) => e.text as string);
    assert.equal(texts.join(""), EXPECTED);
    assert.equal(texts.length, 2, `expected the first piece, then the rest: ${JSON.stringify(texts)}`);
    assert.equal(events.at(-1)?.type, "done");
  });
});

describe("web channel start-up", () => {
  it("refuses to listen beyond loopback without a token even if validation was skipped", async () => {
    const ctx = createFakeContext<WebConfig>({
      config: { host: "0.0.0.0", port: 0, partnerName: "x", maxBodyBytes: 4096, streamIntervalMs: 50 },
    });
    const channel = new WebChannel(ctx);
    await assert.rejects(channel.start(), /config\.token is required/);
    await channel.stop();
  });

  it("stop() ends streams in flight instead of waiting for them", async () => {
    const { channel, ctx } = await startChannel({ port: 0 });
    ctx.script.pieceDelayMs = 40;
    ctx.script.pieces = () => Array.from({ length: 500 }, () => "слово ");
    const res = await fetch(`${channel.address().url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "anna-clone",
        messages: [{ role: "user", content: "Длинно" }],
        stream: true,
      }),
    });
    const reader = res.body!.getReader();
    await reader.read();
    const started = Date.now();
    await channel.stop();
    while (!(await reader.read()).done) {}
    assert.ok(Date.now() - started < 900, `stop took ${Date.now() - started} ms`);
    assert.deepEqual(ctx.aborted, ["completion"]);
  });

  it("fails start when the port is taken", async () => {
    const { channel } = await startChannel({ port: 0 });
    try {
      const ctx = createFakeContext({
        config: await parseConfig(webConfigSchema, { port: channel.address().port }),
      });
      const second = new WebChannel(ctx);
      await assert.rejects(second.start(), /EADDRINUSE/);
      await second.stop();
    } finally {
      await channel.stop();
    }
  });
});
