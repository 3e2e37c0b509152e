/**
 * Plugin isolation with the real runtime and the real channel plugins in one process: web, telegram
 * (grammY against the local Bot API stand-in) and discord (discord.js against the local REST + gateway
 * stand-in) over the tiny model. Telegram and Discord messages from allowed users are answered by the real
 * engine and remembered; then the Bot API starts refusing the token (401 on getUpdates): the telegram
 * plugin fails and is restarted with backoff while the web API and Discord keep answering, and once the
 * Bot API accepts it again the bot answers again. Replies are random-weight gibberish: only the protocol,
 * memory and plugin states are checked.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { FakeBotApi, BOT_TOKEN as TELEGRAM_TOKEN } from "@aiclone/testing/fakeBotApi";
import { BOT_TOKEN as DISCORD_TOKEN, FakeDiscord } from "@aiclone/testing/fakeDiscord";
import { freePort } from "@aiclone/testing/freePort";
import { tinyModelPath } from "@aiclone/testing/sharedData";
import { waitFor } from "@aiclone/testing/until";
import { getLlama, type Llama, LlamaLogLevel } from "node-llama-cpp";
import OpenAI from "openai";
import { pino } from "pino";
import { initBundle } from "../bundle/initBundle.js";
import type { PluginStatus } from "../plugin/pluginHost.js";
import { type Runtime, startRuntime } from "../runtime.js";
import { doneEvent, pageTurn, realPlugins } from "./realPlugins.js";

const TG_OWNER = { id: 111, first_name: "Пётр", last_name: "Петров" };
const TG_STRANGER = { id: 333, first_name: "Незнакомец" };
const DC_OWNER = { id: "100000000000000001", username: "petr", global_name: "Пётр" };
const DC_OWNER_DM = "500000000000000001";
const BACKOFF = { initialMs: 300, maxMs: 1_200, resetAfterMs: 60_000 };

describe("runtime with web + telegram + discord: one failing channel leaves the others answering", () => {
  let dir: string;
  let llama: Llama;
  let telegram: FakeBotApi;
  let discord: FakeDiscord;
  let runtime: Runtime;
  let baseUrl: string;
  let cloneId: string;

  const status = (name: string): PluginStatus => {
    const found = runtime.status().find((s) => s.name === name);
    assert.ok(found, `plugin ${name} in status`);
    return found;
  };
  const openai = () => new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: "loopback" });
  const telegramTexts = (chatId: number) => telegram.sent(chatId).map((c) => c.params.text as string);

  /** A DM to the Discord bot from the owner; resolves with the reply it posted. */
  async function discordDm(text: string): Promise<string> {
    const before = discord.posted(DC_OWNER_DM).length;
    discord.message(DC_OWNER, text, { dmChannel: DC_OWNER_DM });
    await waitFor(
      () => discord.posted(DC_OWNER_DM).length > before,
      `the discord reply to '${text}'`,
      15_000,
    );
    return discord.posted(DC_OWNER_DM)[before]?.body.content as string;
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "aiclone-channels-e2e-"));
    telegram = new FakeBotApi();
    await telegram.start();
    discord = new FakeDiscord();
    await discord.start();
    llama = await getLlama({ gpu: false, logLevel: LlamaLogLevel.error });
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const bundleDir = await initBundle({
      model: tinyModelPath(),
      name: "Анна",
      persona: "Ты — Анна. Отвечай коротко, по-дружески.",
      language: "ru",
      out: join(dir, "bundle"),
      plugins: [
        { name: "web", config: { port, partnerName: "Пётр" } },
        { name: "telegram", config: { token: TELEGRAM_TOKEN, ownerId: TG_OWNER.id, apiRoot: telegram.url } },
        { name: "discord", config: { token: DISCORD_TOKEN, ownerId: DC_OWNER.id, restApi: discord.restApi } },
      ],
    });
    const manifestPath = join(bundleDir, "clone.json");
    const manifest = JSON.parse(await readFile(manifestPath, "utf8"));
    // Greedy: repeatable replies (random weights could otherwise sample an end token first).
    manifest.generation.maxTokens = 16;
    manifest.generation.temperature = 0;
    cloneId = manifest.clone.id;
    await writeFile(manifestPath, JSON.stringify(manifest));
    runtime = await startRuntime({
      bundleDir,
      llama,
      threads: 1,
      registry: realPlugins,
      modelCacheDir: join(dir, "cache"),
      logger: pino({ level: "silent" }),
      backoff: BACKOFF,
    });
  });

  after(async () => {
    await runtime?.stop();
    await telegram?.stop();
    await discord?.stop();
    await llama?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it("starts the three channels", () => {
    assert.deepEqual(
      runtime.status().map((s) => [s.name, s.state, s.restarts]),
      [
        ["web", "running", 0],
        ["telegram", "running", 0],
        ["discord", "running", 0],
      ],
    );
    assert.equal(discord.identifies.length, 1);
  });

  it("answers the Telegram owner through the real engine, silently ignoring a stranger", async () => {
    telegram.privateText(TG_STRANGER, "Привет, ты кто?");
    telegram.privateText(TG_OWNER, "Привет, Анна! Как дела?");
    await waitFor(() => telegram.sent(TG_OWNER.id).length >= 1, "the telegram reply", 15_000);
    const [reply] = telegramTexts(TG_OWNER.id);
    assert.ok(reply && reply.trim().length > 0, "a non-empty reply");
    assert.deepEqual(telegram.sent(TG_STRANGER.id), []);
    assert.ok(
      telegram.called("sendChatAction").every((c) => c.params.chat_id === TG_OWNER.id),
      "typing only for the owner",
    );
    // Remembered under channel "telegram", conversation = chat id, partner = the sender's name.
    const history = runtime.chat.history("telegram", String(TG_OWNER.id));
    assert.equal(history[0]?.content, "Привет, Анна! Как дела?");
    assert.equal(history[1]?.role, "assistant");
    assert.equal(history[1]?.content.trim(), reply.trim());
    assert.deepEqual(
      runtime.chat.conversations("telegram").map((c) => c.partner.displayName),
      ["Пётр Петров"],
    );
  });

  it("answers a Discord DM from the owner through the same engine", async () => {
    const reply = await discordDm("Анна, что нового?");
    assert.ok(reply.trim().length > 0);
    assert.ok(reply.length <= 2000);
    assert.ok(discord.typing(DC_OWNER_DM).length >= 1, "typing before the reply");
    assert.equal(runtime.chat.history("discord", DC_OWNER_DM)[0]?.content, "Анна, что нового?");
  });

  it("restarts the failing telegram plugin with backoff while web and discord keep answering", async () => {
    // Every incarnation of the bot starts with getMe: its timestamps are the restarts.
    const incarnations: number[] = [];
    let seen = telegram.called("getMe").length;
    const watcher = setInterval(() => {
      const now = telegram.called("getMe").length;
      for (; seen < now; seen++) incarnations.push(Date.now());
    }, 10);
    try {
      telegram.failGetUpdatesWith = 401;
      // The long poll in flight ends with this (ignored) update; the next getUpdates gets the 401.
      telegram.privateText(TG_STRANGER, "Ау?");
      await waitFor(() => status("telegram").restarts >= 1, "the first telegram restart", 15_000);
      assert.match(status("telegram").lastError ?? "", /401|Unauthorized/);

      // While telegram crash-loops, the other channels answer.
      const completion = await openai().chat.completions.create({
        model: cloneId,
        messages: [{ role: "user", content: "Ты меня слышишь?" }],
        max_tokens: 8,
      });
      assert.equal(completion.choices[0]?.message.role, "assistant");
      assert.ok((completion.usage?.completion_tokens ?? 0) >= 1);
      const page = doneEvent(await pageTurn(baseUrl, "web-isolation", "Анна, ты тут?"));
      assert.ok(page.text.length > 0);
      assert.ok((await discordDm("А сейчас ответишь?")).trim().length > 0);

      await waitFor(() => incarnations.length >= 3, "three telegram restarts", 20_000);
      const tg = status("telegram");
      assert.match(tg.state, /restarting|starting|running/);
      assert.match(tg.lastError ?? "", /401|Unauthorized/);
      for (const name of ["web", "discord"]) {
        assert.equal(status(name).state, "running", name);
        assert.equal(status(name).restarts, 0, name);
      }
      const gaps = incarnations.slice(1).map((t, i) => t - (incarnations[i] as number));
      assert.ok(gaps.length >= 2, `incarnations at ${incarnations.join(", ")}`);
      // 300 ms, then 600 ms, then 1200 ms (minus polling jitter): the backoff grows.
      assert.ok(gaps[0]! >= BACKOFF.initialMs * 0.8, `restart gaps ${gaps.join(", ")} ms`);
      assert.ok(gaps[1]! >= BACKOFF.initialMs * 1.6, `restart gaps ${gaps.join(", ")} ms`);
      assert.ok(gaps[1]! > gaps[0]!, `restart gaps ${gaps.join(", ")} ms`);
    } finally {
      clearInterval(watcher);
    }
  });

  it("answers on Telegram again once the Bot API accepts the token", async () => {
    telegram.failGetUpdatesWith = undefined;
    await waitFor(() => status("telegram").state === "running", "telegram running again", 10_000);
    const before = telegram.sent(TG_OWNER.id).length;
    telegram.privateText(TG_OWNER, "Ты снова со мной?");
    await waitFor(() => telegram.sent(TG_OWNER.id).length > before, "the reply after the restart", 10_000);
    assert.ok((telegramTexts(TG_OWNER.id)[before] ?? "").trim().length > 0);
    // The same conversation, remembered across the plugin's restarts: 2 exchanges.
    assert.deepEqual(
      runtime.chat.history("telegram", String(TG_OWNER.id)).map((m) => m.role),
      ["user", "assistant", "user", "assistant"],
    );
  });
});
