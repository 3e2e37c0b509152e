#!/usr/bin/env node
// Makes sure Tesseract (with Russian and English data) is installed, for the dataset pipeline's optional OCR
// and its tests; ImageMagick and DejaVu fonts let the tests draw screenshots. Installs Debian's packages when
// run as root on a machine that has apt-get; otherwise says what to install. Exit 0 when all are there.
import { execFileSync, spawnSync } from "node:child_process";

const packages = [
  "tesseract-ocr",
  "tesseract-ocr-rus",
  "tesseract-ocr-eng",
  "imagemagick",
  "fonts-dejavu-core",
];

function present() {
  try {
    const langs = execFileSync("tesseract", ["--list-langs"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    // /usr/local/bin/convert may be a stand-in: the tests call ImageMagick by its Debian path.
    const convert = spawnSync("/usr/bin/convert", ["-version"], { encoding: "utf8" });
    return (
      /\brus\b/.test(langs) &&
      /\beng\b/.test(langs) &&
      convert.status === 0 &&
      /ImageMagick/.test(convert.stdout)
    );
  } catch {
    return false;
  }
}

if (present()) process.exit(0);
const isRoot = process.getuid?.() === 0;
const hasApt = spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status === 0;
if (!isRoot || !hasApt) {
  console.error(`OCR tools missing: install ${packages.join(" ")} (Debian/Ubuntu: sudo apt-get install ...)`);
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
    process.exit(1);
  }
}
process.exit(present() ? 0 : 1);
