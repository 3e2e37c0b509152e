/**
 * The chat page in Chromium (issue 17, installed clone): Russian throughout with a switch to English, the
 * conversation listed as soon as it starts, reopened by a reload or a new visit, and no request that fails
 * (the favicon included). Skips when there is no Chromium (scripts/ensureChromium.mjs installs it for `int`).
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { createFakeContext, type FakeContext, parseConfig } from "@aiclone/plugin-sdk/testing";
import { waitFor } from "@aiclone/testing/until";
import type { Browser, Page } from "playwright-core";
import { WebChannel } from "../webChannel.js";
import { type WebConfig, webConfigSchema } from "../webConfig.js";

const chromium = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (path): path is string => Boolean(path && existsSync(path)),
);

const texts = (page: Page, selector: string) =>
  page.$$eval(selector, (els) => els.map((e) => e.textContent ?? ""));

describe("the chat page in a browser", {
  skip: chromium ? undefined : "no Chromium (set CHROMIUM_PATH)",
}, () => {
  let channel: WebChannel;
  let ctx: FakeContext<WebConfig>;
  let browser: Browser;
  let url: string;
  const failures: string[] = [];
  before(async () => {
    ctx = createFakeContext({
      config: await parseConfig(webConfigSchema, { port: 0, partnerName: "Мария" }),
    });
    channel = new WebChannel(ctx);
    await channel.start();
    url = channel.address().url;
    const { chromium: launcher } = await import("playwright-core");
    browser = await launcher.launch({ executablePath: chromium, args: ["--no-sandbox"] });
  });
  after(async () => {
    await browser?.close();
    await channel?.stop();
  });

  async function open(): Promise<Page> {
    const page = await browser.newPage();
    page.on("response", (r) => {
      if (r.status() >= 400) failures.push(`${r.status()} ${r.url()}`);
    });
    page.on("console", (m) => {
      if (m.type() === "error") failures.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (e) => failures.push(`page error: ${e.message}`));
    return page;
  }

  it("lists a conversation while its first reply is written, and reopens it on reload and on a new visit", async () => {
    const page = await open();
    await page.goto(`${url}/`);
    assert.equal(await page.textContent("#send"), "Отправить");
    ctx.script.pieceDelayMs = 200;
    await page.fill("#input", "Как дела?");
    await page.press("#input", "Enter");
    await waitFor(async () => (await page.textContent("#send")) === "Стоп", "the button to read Стоп");
    assert.match((await texts(page, "#list li"))[0] ?? "", /^Как дела\?/, "listed before the reply is done");
    await waitFor(
      async () => (await page.textContent("#send")) === "Отправить",
      "the button to read Отправить",
    );
    ctx.script.pieceDelayMs = 5;
    const reply = "Привет, это клон. Ты написал: Как дела?";
    assert.deepEqual(await texts(page, "#messages .msg"), ["Как дела?", reply]);
    assert.equal((await texts(page, "#list li")).length, 1);

    await page.reload();
    await waitFor(
      async () => (await texts(page, "#messages .msg")).length === 2,
      "the conversation after a reload",
    );
    await page.goto(`${url}/`);
    await waitFor(
      async () => (await texts(page, "#messages .msg")).length === 2,
      "the conversation on a new visit",
    );
    assert.deepEqual(await texts(page, "#messages .msg"), ["Как дела?", reply]);
    await page.close();
    assert.deepEqual(failures, [], "no failed request (favicon included) and no error in the console");
  });

  it("switches to English and keeps the choice", async () => {
    const page = await open();
    await page.goto(`${url}/`);
    assert.equal(await page.getAttribute("#menu", "aria-label"), "Разговоры");
    await page.selectOption("#lang", "en");
    assert.equal(await page.textContent("#send"), "Send");
    assert.equal(await page.getAttribute("#menu", "aria-label"), "Conversations");
    assert.equal(await page.getAttribute("html", "lang"), "en");
    await page.reload();
    await waitFor(async () => (await page.textContent("#send")) === "Send", "the button to read Send");
    assert.equal(await page.getAttribute("#input", "placeholder"), "Message…");
    await page.close();
    assert.deepEqual(failures, []);
  });
});
