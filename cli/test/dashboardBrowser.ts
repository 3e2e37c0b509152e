import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext } from "playwright-core";

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
