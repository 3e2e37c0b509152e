#!/usr/bin/env node
// Makes sure Debian's Chromium is installed, for the dashboard's Playwright journey (playwright-core drives a
// browser it does not download), with a colour emoji font (without one, emoji render as empty boxes).
// Installs what is missing with apt-get when run as root on a machine that has apt-get; otherwise says what
// to install. Prints the browser's path and exits 0 when it is there (a missing font is only reported).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const browserPackages = ["chromium", "fonts-dejavu-core"];
const emojiPackage = "fonts-noto-color-emoji";
const emojiFont = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf";
const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(
  (path) => typeof path === "string" && path.length > 0,
);

function present() {
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    const version = spawnSync(path, ["--version"], { encoding: "utf8", timeout: 30_000 });
    if (version.status === 0 && /Chromium/i.test(version.stdout)) return path;
  }
  return undefined;
}

function done(path) {
  console.log(path);
  process.exit(0);
}

const found = present();
const hasEmoji = () => existsSync(emojiFont);
if (found && hasEmoji()) done(found);
const packages = [...(found ? [] : browserPackages), ...(hasEmoji() ? [] : [emojiPackage])];
const isRoot = process.getuid?.() === 0;
const hasApt = spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status === 0;
if (!isRoot || !hasApt) {
  console.error(`missing: install ${packages.join(" ")} (Debian/Ubuntu: sudo apt-get install ...)`);
  if (found) done(found);
  process.exit(1);
}
console.error(`installing ${packages.join(", ")} with apt-get (once per machine)`);
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
for (const args of [
  ["update", "-q"],
  ["install", "-y", "-q", "--no-install-recommends", ...packages],
]) {
  const result = spawnSync("apt-get", args, { stdio: ["ignore", "ignore", "inherit"], env });
  if (result.status !== 0) {
    console.error(`apt-get ${args[0]} failed (exit ${result.status})`);
    if (found) done(found);
    process.exit(1);
  }
}
const installed = present();
if (installed) done(installed);
console.error("apt-get finished but no working chromium was found");
process.exit(1);
