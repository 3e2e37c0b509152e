import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseConfig } from "@aiclone/plugin-sdk/testing";
import { ApiError } from "../apiError.js";
import { bearerTokenMatches } from "../bearerToken.js";
import { paramName, parseChatCompletion } from "../chatCompletionRequest.js";
import { CHAT_PAGE_TEXT, chatPageHtml, pageLanguageOf } from "../chatPage.js";
import { hostOfHostHeader, isLoopbackHost } from "../loopbackHost.js";
import { frameSseData } from "../sseStream.js";
import { webConfigSchema } from "../webConfig.js";

describe("SSE framing", () => {
  it("frames one event as data: <payload> and a blank line", () => {
    assert.equal(frameSseData('{"a":"Привет"}'), 'data: {"a":"Привет"}\n\n');
    assert.equal(frameSseData("[DONE]"), "data: [DONE]\n\n");
  });
  it("splits a payload with line breaks into several data lines", () => {
    assert.equal(frameSseData("один\nдва\r\nтри"), "data: один\ndata: два\ndata: три\n\n");
  });
});

describe("bearer token", () => {
  const token = "секретный-токен-1234567890";
  it("accepts the exact token, case-insensitive scheme", () => {
    assert.equal(bearerTokenMatches(`Bearer ${token}`, token), true);
    assert.equal(bearerTokenMatches(`bearer ${token}`, token), true);
  });
  it("refuses a missing, wrong, prefixed or extended token", () => {
    assert.equal(bearerTokenMatches(undefined, token), false);
    assert.equal(bearerTokenMatches("", token), false);
    assert.equal(bearerTokenMatches(token, token), false);
    assert.equal(bearerTokenMatches(`Bearer ${token}x`, token), false);
    assert.equal(bearerTokenMatches(`Bearer ${token.slice(1)}`, token), false);
    assert.equal(bearerTokenMatches(`Basic ${token}`, token), false);
  });
});

describe("loopback hosts", () => {
  it("knows loopback from everything else", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "::ffff:127.0.0.1"]) {
      assert.equal(isLoopbackHost(host), true, host);
    }
    for (const host of [
      "0.0.0.0",
      "::",
      "192.168.1.5",
      "example.com",
      "localhost.example.com",
      "128.0.0.1",
    ]) {
      assert.equal(isLoopbackHost(host), false, host);
    }
  });
  it("takes the host out of a Host header", () => {
    assert.equal(hostOfHostHeader("127.0.0.1:3000"), "127.0.0.1");
    assert.equal(hostOfHostHeader("[::1]:3000"), "::1");
    assert.equal(hostOfHostHeader("localhost"), "localhost");
    assert.equal(hostOfHostHeader("evil.example:3000"), "evil.example");
  });
});

describe("web config", () => {
  it("defaults to 127.0.0.1:3000 without a token", async () => {
    const config = await parseConfig(webConfigSchema, {});
    assert.equal(config.host, "127.0.0.1");
    assert.equal(config.port, 3000);
    assert.equal(config.token, undefined);
  });
  it("refuses a non-loopback host without a token, naming the token field", async () => {
    await assert.rejects(parseConfig(webConfigSchema, { host: "0.0.0.0" }), /token: a token is required/);
    const config = await parseConfig(webConfigSchema, { host: "0.0.0.0", token: "x".repeat(32) });
    assert.equal(config.host, "0.0.0.0");
  });
  it("refuses a token no HTTP header can carry", async () => {
    await assert.rejects(
      parseConfig(webConfigSchema, { token: "секретный-токен-123456" }),
      /token: token must be printable ASCII/,
    );
  });
  it("names a bad port", async () => {
    await assert.rejects(parseConfig(webConfigSchema, { port: 70000 }), /port:/);
  });
});

describe("chat completion request", () => {
  it("maps OpenAI fields onto a completion request", () => {
    const parsed = parseChatCompletion({
      model: "anna-clone",
      messages: [
        { role: "developer", content: "Будь краток" },
        {
          role: "user",
          content: [
            { type: "text", text: "При" },
            { type: "text", text: "вет" },
          ],
        },
      ],
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 50,
      temperature: 0.3,
      stop: "\n\n",
      user: "ignored-unknown-field",
    });
    assert.equal(parsed.stream, true);
    assert.equal(parsed.includeUsage, true);
    assert.equal(parsed.sourceText, false);
    // No retrieval from the body: the route grants it to a caller with the token (openAiRetrieval.test.ts).
    assert.deepEqual(parsed.completion, {
      messages: [
        { role: "system", content: "Будь краток" },
        { role: "user", content: "Привет" },
      ],
      maxTokens: 50,
      temperature: 0.3,
      stop: ["\n\n"],
    });
  });

  const badField = (body: unknown): string | null => {
    try {
      parseChatCompletion(body);
    } catch (error) {
      assert.ok(error instanceof ApiError);
      assert.equal(error.status, 400);
      return error.param;
    }
    assert.fail("the request was accepted");
  };
  it("names the bad field", () => {
    const ok = { model: "m", messages: [{ role: "user", content: "Привет" }] };
    assert.equal(badField({ messages: ok.messages }), "model");
    assert.equal(badField({ ...ok, messages: [] }), "messages");
    assert.equal(badField({ ...ok, messages: [{ role: "tool", content: "x" }] }), "messages[0].role");
    assert.equal(badField({ ...ok, messages: [ok.messages[0], { role: "user" }] }), "messages[1].content");
    assert.equal(badField({ ...ok, temperature: 3 }), "temperature");
    assert.equal(badField({ ...ok, max_tokens: -1 }), "max_tokens");
    assert.equal(badField({ ...ok, stream: "yes" }), "stream");
    assert.equal(badField({ ...ok, n: 2 }), "n");
  });
  it("writes paths as OpenAI names parameters", () => {
    assert.equal(paramName(["messages", 2, "content", 0, "text"]), "messages[2].content[0].text");
  });
});

describe("chat page", () => {
  /** What a person sees or hears: text outside script and style, titles, labels, placeholders, options. */
  function visibleWords(html: string): string[] {
    const body = html.replace(/<script>[\s\S]*?<\/script>/g, "").replace(/<style>[\s\S]*?<\/style>/g, "");
    const attributes = [...body.matchAll(/\s(?:title|aria-label|placeholder)="([^"]*)"/g)].map(
      (m) => m[1] ?? "",
    );
    const texts = body.replace(/<[^>]*>/g, " ");
    return [...attributes, texts]
      .join(" ")
      .split(/[^\p{L}]+/u)
      .filter(Boolean);
  }

  it("is one HTML file whose script parses, in either language", () => {
    for (const language of ["ru", "en"]) {
      const html = chatPageHtml(language, "Анна");
      const script = /<script>([\s\S]*)<\/script>/.exec(html)?.[1];
      assert.ok(script, "no inline script");
      assert.doesNotThrow(() => new Function(script));
      assert.match(html, /<meta name="viewport" content="width=device-width/);
      assert.match(html, /<meta charset="utf-8">/);
      assert.match(html, new RegExp(`<html lang="${language}">`));
      assert.match(html, /<link rel="icon" href="data:image\/svg\+xml,/);
    }
  });

  it("speaks the bundle's language: a Russian page shows no English word but the switch's 'English'", () => {
    const ru = visibleWords(chatPageHtml("ru", "Анна"));
    assert.deepEqual(
      ru.filter((word) => /[A-Za-z]/.test(word)),
      ["English"],
    );
    for (const word of ["Отправить", "Разговоры", "Новый", "Сообщение"]) assert.ok(ru.includes(word), word);
    const en = visibleWords(chatPageHtml("en-US", "Anna"));
    assert.deepEqual(
      en.filter((word) => /[А-Яа-яЁё]/.test(word)),
      ["Русский"],
    );
    for (const word of ["Send", "Conversations", "New", "Message"]) assert.ok(en.includes(word), word);
    assert.equal(pageLanguageOf("ru-RU"), "ru");
    assert.equal(pageLanguageOf("de"), "en");
  });

  it("has every word in both catalogues, and escapes the clone's name", () => {
    assert.deepEqual(Object.keys(CHAT_PAGE_TEXT.ru).sort(), Object.keys(CHAT_PAGE_TEXT.en).sort());
    const html = chatPageHtml("ru", '<img src=x onerror="alert(1)">');
    assert.doesNotMatch(html, /<img src=x/);
    assert.match(html, /&#60;img src=x onerror=&#34;alert\(1\)&#34;&#62;/);
  });
});
