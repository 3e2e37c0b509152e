import { execFileSync } from "node:child_process";

/**
 * A screenshot-like image of `text`, drawn by ImageMagick at its Debian path (/usr/local/bin/convert may be
 * a stand-in); scripts/ensureOcrTools.mjs installs it with Tesseract.
 */
export function drawTextImage(path: string, text: string): string {
  execFileSync("/usr/bin/convert", [
    "-font",
    "DejaVu-Sans",
    "-pointsize",
    "40",
    "-background",
    "white",
    "-fill",
    "black",
    `label:${text}`,
    path,
  ]);
  return path;
}
