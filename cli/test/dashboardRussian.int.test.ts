import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { crc32 } from "node:zlib";
import type { Browser, Page } from "playwright-core";
import { PlatformHarness } from "../../testing/platform/platformHarness.js";
import { useTestBaseModels } from "../../testing/platform/testBaseModels.js";
import {
  chromiumPath,
  openDashboardPage,
  repoRoot,
  sharedDir,
  tinyBaseModelConfig,
} from "./dashboardBrowser.js";
import { RussianTextCheck, russianCatalogue, visibleTexts } from "./russianText.js";
import { telegramExport } from "./telegramExportFixture.js";
import { standInTrainerEnv } from "./trainingScenario.js";

useTestBaseModels();

/**
 * Only Russian in the Russian dashboard: Chromium walks every screen with data in it (a Russian Telegram
 * export zipped with a nested archive, the WhatsApp group of the corpus, a dataset, a run of the tiny model,
 * a published bundle, an install token, an API key) and every visible word must come from the Russian
 * catalogue or the allow-list (names from the exports, the clone's name, model names; the owner's and the
 * clone's own words are marked `data-own-words` by the page). No server path anywhere.
 */
const shots = join(tmpdir(), "aiclone-dashboard-ru-shots");
const whatsappGroup = (shared: string) =>
  join(
    shared,
    "corpus",
    "Pustur__whatsapp-chat-parser-website",
    "extracted",
    "example-2019-nested",
    "_chat.txt",
  );

/** A zip of stored (uncompressed) entries. */
function storedZip(entries: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const fileName = Buffer.from(name, "utf8");
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const browserInfo = chromiumPath();
const shared = sharedDir();
const skip = browserInfo.reason ?? (shared ? undefined : "shared/corpus not found: set SHARED_DATA_DIR");
if (skip) console.log(`# dashboard Russian walk skipped: ${skip}`);

describe("the Russian dashboard shows only Russian", { skip }, () => {
  let harness: PlatformHarness;
  let browser: Browser;
  let page: Page;
  let check: RussianTextCheck;
  const found: string[] = [];
  const consoleErrors: string[] = [];
  let shot = 0;

  /** Records the screen's words outside the catalogue (all screens are walked before the test fails). */
  const walk = async (screen: string) => {
    await page.waitForTimeout(300); // let live updates settle
    shot++;
    await page.screenshot({
      path: join(shots, `${String(shot).padStart(2, "0")}-${screen}.png`),
      fullPage: true,
    });
    const texts = await visibleTexts(page);
    for (const text of texts)
      if (/\/\.aiclone\/|\/work\/pipeline|job-[\w-]+\//.test(text))
        found.push(`${screen}: a server path: ${text}`);
    for (const line of check.untranslated(texts)) found.push(`${screen}: ${line}`);
  };
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${harness.platform.url}/graphql`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${harness.platform.initialApiKey}`,
      },
      body: JSON.stringify({ query, variables }),
    });
    const json = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
    assert.equal(json.errors, undefined, JSON.stringify(json.errors));
    return json.data!;
  };

  before(async () => {
    mkdirSync(shots, { recursive: true });
    process.env.STANDIN_STEP_MS = "100";
    harness = await PlatformHarness.start({
      ...standInTrainerEnv,
      AICLONE_CONFIG: tinyBaseModelConfig(),
      AICLONE_TRAINING__HEARTBEAT_MS: "200",
      AICLONE_TRAINING__LEASE_MS: "5000",
    });
    ({ browser, page } = await openDashboardPage(browserInfo.path!, consoleErrors, { withConsole: true }));
    const models = (await gql("{ baseModels { name } }")) as { baseModels: { name: string }[] };
    check = new RussianTextCheck(
      russianCatalogue(repoRoot),
      models.baseModels.map((m) => m.name),
    );
  });

  after(async () => {
    await browser?.close();
    await harness?.destroy();
    console.log(`# dashboard Russian walk screenshots: ${shots}`);
  });

  it("walks every screen with data and finds no word outside the Russian catalogue", async () => {
    const base = harness.platform.url;
    await page.goto(base);
    await page.getByRole("heading", { name: "Вход" }).waitFor();
    await walk("sign-in");
    await page.getByLabel("API-ключ").fill(harness.platform.initialApiKey!);
    await page.getByRole("button", { name: "Войти" }).click();
    await page.getByText("Клонов пока нет").waitFor();
    await walk("clone-list-empty");

    // Create: the example persona takes the name typed.
    check.allow("Клон Ани", "Аня");
    await page.getByRole("link", { name: "Создать клона" }).click();
    await page.getByLabel("Название клона").fill("Клон Ани");
    await page.getByLabel("Как клон подписывается").fill("Аня");
    await page.getByRole("button", { name: "Вставить пример" }).click();
    assert.match(await page.getByLabel("Системный промпт персоны").inputValue(), /^Ты — Аня,/);
    await walk("create-clone");
    await page.getByRole("button", { name: "Создать и перейти к загрузке" }).click();
    await page.waitForURL(/\/clones\/[^/]+\/sources$/);
    const cloneId = page.url().split("/clones/")[1]!.split("/")[0]!;

    // A Russian Telegram export zipped with an archive inside (skipped, named), and a WhatsApp group.
    const dir = mkdtempSync(join(tmpdir(), "aiclone-ru-upload-"));
    const zip = join(dir, "Переписка с Петей.zip");
    writeFileSync(
      zip,
      storedZip([
        { name: "result.json", data: Buffer.from(telegramExport()) },
        { name: "old.zip", data: storedZip([{ name: "x.txt", data: Buffer.from("x") }]) },
      ]),
    );
    await page.getByTestId("file-input").setInputFiles([zip, whatsappGroup(shared!)]);
    await page.locator('[data-upload-state="done"]').nth(1).waitFor();
    await page.getByRole("checkbox", { name: "Это я: Аня" }).waitFor();
    await page.getByRole("checkbox", { name: "Это я: Loris" }).waitFor();
    const { clone } = (await gql(
      "query($id: ID!) { clone(id: $id) { sources { fileName inspection { chats { name } participants { name } } } } }",
      { id: cloneId },
    )) as {
      clone: {
        sources: {
          fileName: string;
          inspection: { chats: { name: string | null }[]; participants: { name: string | null }[] };
        }[];
      };
    };
    for (const source of clone.sources) {
      check.allow(source.fileName);
      for (const c of source.inspection.chats) if (c.name) check.allow(c.name);
      for (const p of source.inspection.participants) if (p.name) check.allow(p.name);
    }
    // The review: chats by name, formats by name, the group by its name, the skip explained.
    const review = page.getByTestId("source-review");
    await review.getByText("Петя").first().waitFor();
    await review.getByText("WhatsApp Chat Parser Example").waitFor();
    assert.equal(await review.getByText("_chat.txt", { exact: true }).count(), 0, "a group shows its name");
    await review.getByTestId("source-format").filter({ hasText: "Telegram (JSON)" }).waitFor();
    await review.getByTestId("source-format").filter({ hasText: "WhatsApp (текст)" }).waitFor();
    const skipped = review.getByTestId("source-skipped").filter({ hasText: "1" });
    await skipped.waitFor();
    assert.match(
      (await skipped.textContent()) ?? "",
      /архив внутри архива не открывается/,
      "the skip is explained in Russian",
    );
    await walk("source-review");

    await page.getByRole("checkbox", { name: "Это я: Аня" }).check();
    await page.getByRole("button", { name: "Собрать датасет" }).click();
    await page.waitForURL(/\/dataset$/);
    await page.getByTestId("dataset-report").waitFor();
    await page.evaluate('document.querySelectorAll("details").forEach((d) => { d.open = true; })');
    await walk("dataset-report");

    // Train the tiny model; the "clone ready" toast leaves with the tab.
    await page.getByRole("link", { name: "Перейти к обучению" }).click();
    await page.getByLabel("Базовая модель").waitFor();
    await walk("training-form");
    await page.getByText("Быстро", { exact: true }).click();
    await page.getByText("Расширенные параметры").click();
    await page.getByRole("spinbutton", { name: "Шагов", exact: true }).fill("4");
    await page.getByLabel("Базовая модель").fill("llama-2-tiny-random");
    await page.getByRole("button", { name: "Начать обучение" }).click();
    await page.locator('[data-run-status="COMPLETED"]').waitFor({ timeout: 60_000 });
    const toast = page.getByRole("status").filter({ hasText: "Клон готов" });
    await toast.waitFor();
    await walk("training-done");
    await page.getByRole("link", { name: "Качество" }).click();
    await page.getByTestId("perplexity").waitFor();
    await toast.waitFor({ state: "detached", timeout: 2_000 });
    await walk("fidelity");

    // The quality screen with a trainer report that got slightly worse, style shares and a multi-line reply
    // of the owner (the stand-in trainer writes perplexity only: its answer is rewritten for this check).
    await page.route("**/graphql", async (route) => {
      if (!(route.request().postData() ?? "").includes("query Clone(")) return route.fallback();
      const response = await route.fetch();
      const json = await response.json();
      for (const run of json.data.clone?.trainingRuns ?? [])
        if (run.status === "COMPLETED")
          run.metrics = {
            eval: {
              perplexity: { base: 10, adapted: 10.01 },
              style: Object.fromEntries(
                ["owner", "base", "adapted"].map((side, i) => [
                  side,
                  { count: 12, share_with_emoji: 0.25 * i, lowercase_start_share: 0.5 },
                ]),
              ),
              samples: [{ prompt: "Как дела?", owner: "норм\nа ты как?", base: "Хорошо.", adapted: "норм" }],
            },
          };
      await route.fulfill({ response, json });
    });
    await page.reload();
    const worse = page.getByTestId("perplexity-worse");
    await worse.waitFor();
    assert.match((await worse.textContent()) ?? "", /^Хуже на 0,1 %/, "a worse perplexity says it got worse");
    assert.equal(await page.getByText(/Улучшение/).count(), 0);
    const styleTable = (await page.locator("table").last().textContent()) ?? "";
    assert.match(styleTable, /25 %/, `shares as percentages: ${styleTable}`);
    assert.match(styleTable, /50 %/);
    // The line break is in the text and rendered as one (white-space keeps it).
    assert.equal(await page.locator('[data-column="owner"]').first().textContent(), "норм\nа ты как?");
    assert.equal(
      await page.evaluate(`getComputedStyle(document.querySelector('[data-column="owner"]')).whiteSpace`),
      "pre-wrap",
      "the owner's multi-line reply keeps its line break",
    );
    await walk("fidelity-report");
    await page.unroute("**/graphql");

    await page.getByRole("link", { name: "Предпросмотр" }).click();
    await page.getByLabel("Версия адаптера").waitFor();
    await walk("preview");

    await page.getByRole("link", { name: "Публикация" }).click();
    await page.getByRole("button", { name: "Опубликовать", exact: true }).click();
    await page.getByTestId("versions").waitFor();
    check.allow("ноутбук");
    await page.getByLabel("Для какого компьютера").fill("ноутбук");
    await page.getByRole("button", { name: "Создать токен установки" }).click();
    await page.getByTestId("install-command-with-token").waitFor();
    await walk("publish");

    await page.getByRole("link", { name: "История" }).click();
    await page.locator('[data-event-type="InstallTokenCreated"]').waitFor();
    assert.match(
      (await page.locator('[data-event-type="CloneCreated"]').textContent()) ?? "",
      /кто: вы \(ключ «первый ключ»\)/,
    );
    await walk("timeline");

    await page.getByRole("link", { name: "Настройки" }).click();
    await page.getByRole("button", { name: "Удалить клона" }).waitFor();
    await walk("settings");

    await page.getByRole("link", { name: "API-ключи" }).click();
    check.allow("рабочий");
    await page.getByLabel("Название нового ключа").fill("рабочий");
    await page.getByRole("button", { name: "Создать ключ" }).click();
    await page.getByTestId("new-secret").waitFor();
    const heads = await page.getByTestId("keys").locator("thead th").allTextContents();
    assert.deepEqual(heads.slice(0, 4), ["Название", "Начало", "Создан", "Состояние"]);
    await walk("api-keys");

    await page.getByRole("link", { name: "Клоны" }).click();
    await page.locator(`[data-clone-id="${cloneId}"]`).waitFor();
    await walk("clone-list");

    assert.deepEqual(found, [], `words outside the Russian catalogue:\n${found.join("\n")}`);
    assert.deepEqual(consoleErrors, [], "no console errors");
  });
});
