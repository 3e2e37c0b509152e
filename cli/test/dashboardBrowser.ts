import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";

/** What the dashboard's browser tests share: Chromium, the built dashboard, the shared corpus. */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** The shared data folder holding `corpus/`, if there is one. */
export function sharedDir(): string | undefined {
  const candidates = [process.env.SHARED_DATA_DIR, resolve(repoRoot, "..", "shared")];
  return candidates.find((dir): dir is string => Boolean(dir && existsSync(join(dir, "corpus"))));
}

/** Chromium's path, installing Debian's package when missing; the reason when there is none. */
export function chromiumPath(): { path?: string; reason?: string } {
  const result = spawnSync(process.execPath, [join(repoRoot, "scripts", "ensureChromium.mjs")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const path = result.stdout.trim().split("\n").at(-1);
  if (result.status === 0 && path) return { path };
  return { reason: `no Chromium and it could not be installed: ${result.stderr.trim().split("\n").at(-1)}` };
}

export function ensureDashboardBuilt(): void {
  if (existsSync(join(repoRoot, "dashboard", "dist", "index.html"))) return;
  const build = spawnSync(process.execPath, [join(repoRoot, "scripts", "buildDashboard.mjs")], {
    cwd: repoRoot,
    stdio: "inherit",
  });
  assert.equal(build.status, 0, "node scripts/buildDashboard.mjs failed");
}

/** Headless Chromium in Russian with clipboard access, as the journey drives it. */
export async function launchRussianBrowser(
  executablePath: string,
): Promise<{ browser: Browser; context: BrowserContext }> {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--lang=ru-RU"],
  });
  const context = await browser.newContext({
    locale: "ru-RU",
    viewport: { width: 1100, height: 900 },
    permissions: ["clipboard-read", "clipboard-write"],
  });
  return { browser, context };
}

/**
 * The built dashboard in a Russian Chromium page (30 s default timeout); what the page throws (and, with
 * `withConsole`, what it logs as an error) is pushed to `errors`, which a test asserts empty at its end.
 */
export async function openDashboardPage(
  executablePath: string,
  errors: string[],
  { withConsole = false } = {},
): Promise<{ browser: Browser; page: Page }> {
  ensureDashboardBuilt();
  const { browser, context } = await launchRussianBrowser(executablePath);
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  if (withConsole)
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
  page.on("pageerror", (error) => errors.push(error.message));
  return { browser, page };
}

/**
 * A platform config file naming the tiny test model as a base model at a closed port: publishing records
 * where the runtime would fetch it; nothing downloads it in these tests.
 */
export function tinyBaseModelConfig(): string {
  const configFile = join(mkdtempSync(join(tmpdir(), "aiclone-dashboard-")), "platform.json");
  writeFileSync(
    configFile,
    JSON.stringify({
      baseModels: {
        "llama-2-tiny-random": {
          url: "http://127.0.0.1:9/llama-2-tiny-random.gguf",
          sha256: "81f226c62d28ed4a1a9b9fa080fcd9f0cc40e0f9d5680036583ff98fbcd035cb",
        },
      },
    }),
  );
  return configFile;
}

/** How an emoji renders in the page's own font: its width and how it differs from a missing glyph. */
export interface EmojiRendering {
  width: number;
  /** Pixels with colour (a colour emoji font draws some; a .notdef box or nothing draws none). */
  colouredPixels: number;
  /** Whether its pixels differ from those of a code point no font has (the .notdef box). */
  differsFromMissing: boolean;
}

/** Draws `emoji` and an unassigned code point with the body's font on a canvas and compares them. */
export function emojiRendering(page: Page, emoji = "😀"): Promise<EmojiRendering> {
  return page.evaluate(async (text) => {
    const doc = (globalThis as unknown as { document: any }).document;
    const font = `32px ${doc.defaultView.getComputedStyle(doc.body).fontFamily}`;
    // A local() face loads on first use, and the canvas would not wait; without the font it fails to load.
    await doc.fonts.load(font, text).catch(() => undefined);
    const draw = (glyph: string) => {
      const canvas = doc.createElement("canvas");
      canvas.width = 64;
      canvas.height = 64;
      const context = canvas.getContext("2d");
      context.font = font;
      context.fillStyle = "#000";
      context.textBaseline = "top";
      context.fillText(glyph, 8, 8);
      return { width: context.measureText(glyph).width, data: context.getImageData(0, 0, 64, 64).data };
    };
    const drawn = draw(text);
    const missing = draw(String.fromCodePoint(0x10fffd));
    let colouredPixels = 0;
    let differsFromMissing = false;
    for (let i = 0; i < drawn.data.length; i += 4) {
      const [r, g, b] = [drawn.data[i]!, drawn.data[i + 1]!, drawn.data[i + 2]!];
      if (Math.max(r, g, b) - Math.min(r, g, b) > 40) colouredPixels++;
      if (drawn.data[i + 3] !== missing.data[i + 3]) differsFromMissing = true;
    }
    return { width: drawn.width, colouredPixels, differsFromMissing };
  }, emoji);
}
