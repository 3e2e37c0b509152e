import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { until } from "@aiclone/testing/until";
import type { Browser, Page } from "playwright-core";
import { GraphQLTestClient } from "../../testing/platform/graphqlClient.js";
import { PlatformHarness } from "../../testing/platform/platformHarness.js";
import { chromiumPath, openDashboardPage } from "./dashboardBrowser.js";
import { identityExports } from "./identityExports.js";

/**
 * One person across exports, in the dashboard: the owner ticks their Telegram account and their WhatsApp
 * name; the Telegram export was made by another account (Петя), so the review asks them to confirm it is
 * them before building; the dataset report then counts messages and samples per identity.
 */
const browserInfo = chromiumPath();
if (browserInfo.reason) console.log(`# dashboard identities skipped: ${browserInfo.reason}`);

const UPLOAD = "mutation ($id: ID!, $file: Upload!) { uploadSource(cloneId: $id, file: $file) { status } }";

describe("dashboard: one person across exports, with consent", { skip: browserInfo.reason }, () => {
  let harness: PlatformHarness;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    harness = await PlatformHarness.start();
    ({ browser, page } = await openDashboardPage(browserInfo.path!, pageErrors));
  });

  after(async () => {
    await browser?.close();
    await harness?.destroy();
  });

  it("ticks two identities, asks for consent, then reports both", async () => {
    const base = harness.platform.url;
    const key = harness.platform.initialApiKey!;
    const api = new GraphQLTestClient(harness.platform.graphqlUrl, key);
    const { createClone } = await api.data('mutation { createClone(input: {name: "Аня везде"}) { id } }');
    const id = createClone.id as string;
    for (const file of identityExports()) await api.upload(UPLOAD, { id }, "file", file);
    await until("both inspected", async () => {
      const { clone } = await api.data(
        "query ($id: ID!) { clone(id: $id) { sources { inspection { messages } } } }",
        {
          id,
        },
      );
      return clone.sources.every((s: { inspection: unknown }) => s.inspection) ? true : undefined;
    });

    await page.goto(base);
    await page.getByLabel("API-ключ").fill(key);
    await page.getByRole("button", { name: "Войти" }).click();
    await page.getByRole("heading", { name: "Ваши клоны" }).waitFor();
    await page.goto(`${base}/clones/${id}/sources`);
    // The export's account is ticked first; the owner ticks their own two identities instead.
    // Петя is in both exports (two participants); the Telegram account's one is ticked as the first guess.
    await page.getByRole("checkbox", { name: "Это я: Анечка" }).waitFor();
    const petya = page.getByRole("checkbox", { name: "Это я: Петя", checked: true });
    assert.equal(await petya.count(), 1, "the account that made the export is the first guess");
    assert.equal(await page.getByTestId("owner-consent").count(), 0, "no consent asked for the exporter");
    await petya.uncheck();
    await page.getByRole("checkbox", { name: "Это я: Аня" }).check();
    await page.getByRole("checkbox", { name: "Это я: Анечка" }).check();
    const consent = page.getByTestId("owner-consent");
    await consent.waitFor();
    assert.match((await consent.textContent()) ?? "", /аккаунтом «Петя»/);

    await page.getByRole("button", { name: "Собрать датасет" }).click();
    await page.getByText("Подтвердите, что отмеченные участники — это вы.").waitFor();
    assert.match(page.url(), /\/sources$/, "nothing is built without the confirmation");
    await consent.getByRole("checkbox").check();
    await page.getByRole("button", { name: "Собрать датасет" }).click();

    await page.waitForURL(/\/dataset$/);
    const identities = page.getByTestId("dataset-identities");
    await identities.waitFor({ timeout: 60_000 });
    const rows = await identities.locator("tbody tr").allTextContents();
    assert.equal(rows.length, 2, rows.join(" | "));
    assert.match(rows[0] ?? "", /Аня\s*36/);
    assert.match(rows[1] ?? "", /Анечка\s*16/);

    const { clone } = await api.data(
      "query ($id: ID!) { clone(id: $id) { datasetRequest { owners ownerConfirmed } } }",
      { id },
    );
    assert.deepEqual(clone.datasetRequest, { owners: ["user1", "Анечка"], ownerConfirmed: true });
    assert.deepEqual(pageErrors, []);
  });
});
