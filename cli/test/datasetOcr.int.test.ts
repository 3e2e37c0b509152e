import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { TesseractOcr } from "../../pipeline/ocr/tesseractOcr.js";
import { drawTextImage } from "../../pipeline/ocr/test/drawTextImage.js";

const bin = fileURLToPath(new URL("../../../bin/aiclone", import.meta.url));
const available = await new TesseractOcr().check();
const skip = available.ok ? false : `${available.reason}; npm test installs it (scripts/ensureOcrTools.mjs)`;
if (skip) console.log(`skipped: ${skip}`);

describe("dataset build with OCR", { skip }, () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "aiclone-ocr-build-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("adds the text of a contact's screenshot to their turn as context, and counts a missing image", async () => {
    const exportDir = join(dir, "ChatExport_2024-03-01");
    await mkdir(join(exportDir, "photos"), { recursive: true });
    drawTextImage(
      join(exportDir, "photos", "photo_1@01-03-2024_10-00-00.jpg"),
      "Скидка 50% на билеты\nтолько до пятницы",
    );
    const t = Date.UTC(2024, 2, 1, 10, 0, 0) / 1000;
    const message = (id: number, from: "user1" | "user2", extra: Record<string, unknown>) => ({
      id,
      type: "message",
      date: new Date((t + id * 60) * 1000).toISOString().slice(0, 19),
      date_unixtime: String(t + id * 60),
      from: from === "user1" ? "Аня" : "Петя",
      from_id: from,
      text: "",
      ...extra,
    });
    await writeFile(
      join(exportDir, "result.json"),
      JSON.stringify({
        name: "Петя",
        type: "personal_chat",
        id: 2,
        messages: [
          message(1, "user2", { text: "смотри что нашёл" }),
          message(2, "user2", { photo: "photos/photo_1@01-03-2024_10-00-00.jpg", width: 600, height: 120 }),
          message(3, "user1", { text: "ого, берём!! в пятницу после работы" }),
          message(4, "user2", { photo: "photos/photo_2@01-03-2024_10-05-00.jpg", width: 600, height: 120 }),
          message(5, "user1", { text: "а это что" }),
        ],
      }),
    );
    const out = join(dir, "out");
    const result = spawnSync(
      process.execPath,
      [bin, "dataset", "build", exportDir, "--owner", "Аня", "--out", out, "--ocr"],
      {
        encoding: "utf8",
      },
    );
    assert.equal(result.status, 0, result.stderr);
    const lines = [
      ...(await readFile(join(out, "train.jsonl"), "utf8")).split("\n"),
      ...(await readFile(join(out, "val.jsonl"), "utf8")).split("\n"),
    ].filter(Boolean);
    const turns = lines.flatMap((l) => JSON.parse(l).messages as { role: string; content: string }[]);
    const user = turns
      .filter((m) => m.role === "user")
      .map((m) => m.content)
      .join("\n");
    assert.match(user, /\[на изображении: Скидка 50% на билеты\s+только до пятницы\]/);
    for (const turn of turns.filter((m) => m.role === "assistant"))
      assert.doesNotMatch(turn.content, /на изображении/);
    const stats = JSON.parse(await readFile(join(out, "stats.json"), "utf8"));
    assert.equal(stats.ocr.imagesRead, 1);
    assert.equal(stats.ocr.imagesMissing, 1);
  });
});
