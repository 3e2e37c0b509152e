import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { GraphQLTestClient } from "../../testing/platform/graphqlClient.js";
import { PlatformHarness } from "../../testing/platform/platformHarness.js";
import { useTestBaseModels } from "../../testing/platform/testBaseModels.js";
import { chromiumPath, openDashboardPage } from "./dashboardBrowser.js";
import { cloneWithDataset, requestTraining, standInTrainerEnv } from "./trainingScenario.js";

useTestBaseModels();

/**
 * Live updates survive a platform restart: an open training page shows the connection drop
 * ("reconnecting", then "lost" while it lasts), and once the platform is back on the same port and data
 * folder the page reconnects within seconds, re-reads the clone and follows the resumed run to its end,
 * without a reload.
 */
const browserInfo = chromiumPath();
if (browserInfo.reason) console.log(`# dashboard reconnect skipped: ${browserInfo.reason}`);

describe("dashboard across a platform restart", { skip: browserInfo.reason }, () => {
  let harness: PlatformHarness;
  let browser: Browser;
  let page: Page;
  let key: string;
  const pageErrors: string[] = [];

  before(async () => {
    process.env.STANDIN_STEP_MS = "300";
    harness = await PlatformHarness.start({
      ...standInTrainerEnv,
      AICLONE_TRAINING__HEARTBEAT_MS: "200",
      AICLONE_TRAINING__LEASE_MS: "3000",
    });
    ({ browser, page } = await openDashboardPage(browserInfo.path!, pageErrors));
  });

  after(async () => {
    await browser?.close();
    await harness?.destroy();
  });

  it("shows the drop, reconnects and reaches the finished run without a reload", async () => {
    const base = harness.platform.url;
    const port = new URL(base).port;
    key = harness.platform.initialApiKey!; // printed on the first start only
    const api = new GraphQLTestClient(harness.platform.graphqlUrl, key);
    const cloneId = await cloneWithDataset(api);

    await page.goto(base);
    await page.getByLabel("API-ключ").fill(key);
    await page.getByRole("button", { name: "Войти" }).click();
    await page.getByRole("heading", { name: "Ваши клоны" }).waitFor();
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
    await page.goto(`${base}/clones/${cloneId}/training`);
    await page.getByRole("heading", { name: "Аня" }).waitFor();
    await page.evaluate(() => {
      (globalThis as unknown as { reconnectMarker: number }).reconnectMarker = 7;
    });

    await requestTraining(api, cloneId, { maxSteps: 30, checkpointEvery: 5 });
    await page.locator('[data-testid="run-step"]:not([data-step="0"])').waitFor();

    await harness.stop();
    await page.locator('[data-testid="connection"][data-state="reconnecting"]').waitFor();
    const stepWhileDown = Number(await page.getByTestId("run-step").getAttribute("data-step"));
    // Down long enough for the page to say so, and for an uncapped backoff to be waiting long already.
    await page.locator('[data-testid="connection"][data-state="lost"]').waitFor({ timeout: 20_000 });
    assert.match((await page.getByTestId("connection").textContent()) ?? "", /Нет связи с платформой/);
    await harness.restart({ AICLONE_API__PORT: port });
    assert.equal(harness.platform.url, base, "the platform came back where the page looks for it");

    // The backoff is capped (8 s and a jitter): the page finds the platform again within seconds.
    const back = Date.now();
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor({ timeout: 12_000 });
    console.log(`# reconnected ${Date.now() - back} ms after the platform was back`);
    await page.locator('[data-run-status="COMPLETED"]').waitFor({ timeout: 90_000 });
    await page.locator('[data-status="TRAINED"]').first().waitFor();
    await page.getByTestId("next-step").getByRole("link", { name: "Попробовать клона" }).waitFor();
    assert.equal(await page.getByTestId("run-step").getAttribute("data-step"), "30");
    assert.ok(stepWhileDown < 30, `the run was cut mid-way (step ${stepWhileDown})`);
    assert.equal(
      await page.evaluate(() => (globalThis as unknown as { reconnectMarker?: number }).reconnectMarker),
      7,
      "the page was never reloaded",
    );
    assert.deepEqual(pageErrors, []);
  });

  it("renames the clone from its page; the list and the API see the new name", async () => {
    const url = new URL(page.url());
    const cloneId = url.pathname.split("/")[2]!;
    await page.getByRole("button", { name: "Переименовать" }).click();
    const field = page.getByLabel("Новое название клона");
    assert.equal(await field.inputValue(), "Аня");
    await field.fill("  Аня с работы ");
    await page.getByTestId("rename-form").getByRole("button", { name: "Сохранить" }).click();
    await page.getByRole("heading", { name: "Аня с работы" }).waitFor();
    await page.getByRole("status").filter({ hasText: "Название сохранено" }).waitFor();
    const api = new GraphQLTestClient(harness.platform.graphqlUrl, key);
    const { clone } = await api.data("query ($id: ID!) { clone(id: $id) { name } }", { id: cloneId });
    assert.equal(clone.name, "Аня с работы");
    const { cloneEvents } = await api.data("query ($id: ID!) { cloneEvents(id: $id) { type } }", {
      id: cloneId,
    });
    assert.equal(cloneEvents.at(-1).type, "CloneRenamed");
    await page.getByRole("link", { name: "Клоны" }).click();
    await page.locator(`[data-clone-id="${cloneId}"]`).filter({ hasText: "Аня с работы" }).waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
