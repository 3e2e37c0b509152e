/**
 * The OpenAI API retrieves from the person's documents only for a caller that presented the web plugin's
 * token, and names the sources without their text unless asked (`aiclone_source_text: true`): any
 * process on the machine can reach a loopback port.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Passage } from "@aiclone/plugin-sdk";
import { createFakeContext, type FakeContext, parseConfig } from "@aiclone/plugin-sdk/testing";
import { WebChannel } from "../webChannel.js";
import { type WebConfig, webConfigSchema } from "../webConfig.js";

const PASSAGES: Passage[] = [
  { text: "Группа крови вторая положительная.", source: "здоровье.txt", score: 0.9, chunkId: "h:0" },
];

async function startChannel(config: unknown): Promise<{ channel: WebChannel; ctx: FakeContext<WebConfig> }> {
  const ctx = createFakeContext({
    config: await parseConfig(webConfigSchema, config),
    script: { passages: PASSAGES },
  });
  const channel = new WebChannel(ctx);
  await channel.start();
  return { channel, ctx };
}

async function complete(url: string, extra: Record<string, unknown>, token?: string) {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({
      model: "anna-clone",
      messages: [{ role: "user", content: "Какая у меня группа крови?" }],
      ...extra,
    }),
  });
  assert.equal(res.status, 200);
  return (await res.json()) as { aiclone_sources: Record<string, unknown>[] };
}

describe("OpenAI API without a token (any loopback caller)", () => {
  let channel: WebChannel;
  let ctx: FakeContext<WebConfig>;
  before(async () => {
    ({ channel, ctx } = await startChannel({ port: 0 }));
  });
  after(() => channel.stop());

  it("retrieves nothing and returns no passages, even when asked for their text", async () => {
    const body = await complete(channel.address().url, { aiclone_source_text: true });
    assert.notEqual(ctx.completionRequests.at(-1)?.retrieval, true);
    assert.deepEqual(body.aiclone_sources, []);
  });
});

describe("OpenAI API with the web plugin's token", () => {
  const token = "test-token-0123456789abcdef";
  let channel: WebChannel;
  let ctx: FakeContext<WebConfig>;
  before(async () => {
    ({ channel, ctx } = await startChannel({ port: 0, token }));
  });
  after(() => channel.stop());

  it("retrieves and names the sources without their text by default", async () => {
    const body = await complete(channel.address().url, {}, token);
    assert.equal(ctx.completionRequests.at(-1)?.retrieval, true);
    assert.deepEqual(body.aiclone_sources, [{ source: "здоровье.txt", score: 0.9 }]);
  });

  it("adds the passages' text when the caller asks for it", async () => {
    const body = await complete(channel.address().url, { aiclone_source_text: true }, token);
    assert.deepEqual(body.aiclone_sources, [
      { source: "здоровье.txt", score: 0.9, text: "Группа крови вторая положительная." },
    ]);
  });
});
