import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { TesseractOcr } from "./tesseractOcr.js";
import { drawTextImage } from "./test/drawTextImage.js";

const ocr = new TesseractOcr();
const availability = await ocr.check();
const skip = availability.ok
  ? false
  : `${availability.reason}; npm test installs it (scripts/ensureOcrTools.mjs)`;
if (skip) console.log(`skipped: ${skip}`);

describe("Tesseract OCR", { skip }, () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "aiclone-ocr-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const draw = (name: string, text: string) => drawTextImage(join(dir, name), text);

  it("reads Russian and English text from an image", async () => {
    const text = await ocr.recognize(
      draw("ru.png", "Привет, это скриншот\nвстреча в 19:00 у метро\nsee you there"),
    );
    assert.match(text, /Привет, это скриншот/);
    assert.match(text, /встреча в 19:00 у метро/);
    assert.match(text, /see you there/);
  });

  it("gives an empty string for an image without text", async () => {
    const path = join(dir, "blank.png");
    execFileSync("/usr/bin/convert", ["-size", "200x100", "xc:white", path]);
    assert.equal(await ocr.recognize(path), "");
  });

  it("fails clearly on a file that is not an image", async () => {
    const path = join(dir, "not-an-image.png");
    execFileSync("/usr/bin/sh", ["-c", `printf 'garbage' > '${path}'`]);
    await assert.rejects(ocr.recognize(path), /tesseract/);
  });
});
