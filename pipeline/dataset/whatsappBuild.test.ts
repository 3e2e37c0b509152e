import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { tempDir } from "../archive/test/tempDir.js";
import { build } from "./build.js";
import { exportFilesSource } from "./exportFilesSource.js";
import type { ChatMessagesRecord } from "./sampleRecord.js";

/** Builds from a WhatsApp `.txt` written by the test, with Алексей as the owner. */
async function buildChat(lines: string[], options: Record<string, unknown> = {}) {
  const dir = tempDir();
  const file = join(dir, "Чат WhatsApp с Машей.txt");
  await writeFile(file, `${lines.join("\n")}\n`);
  const out = join(dir, "out");
  const stats = await build(exportFilesSource([file]).records, {
    owner: { ids: ["Алексей"], name: "Алексей" },
    outDir: out,
    valFraction: 0,
    ...options,
  });
  const { readFile } = await import("node:fs/promises");
  const train = (await readFile(join(out, "train.jsonl"), "utf8"))
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ChatMessagesRecord);
  return { stats, train };
}

const at = (minute: number) => `14.03.2023, 10:${String(minute).padStart(2, "0")} - `;

describe("build from a Russian Android WhatsApp export", () => {
  it("`<Без медиафайлов>` and unknown markers never become the owner's words; each is counted", async () => {
    const { stats, train } = await buildChat([
      `${at(0)}Маша: смотри`,
      `${at(1)}Алексей: <Без медиафайлов>`,
      `${at(2)}Алексей: <Какой-то новый маркер>`,
      `${at(3)}Алексей: класс`,
    ]);
    const assistant = train.flatMap((s) =>
      s.messages.filter((m) => m.role === "assistant").map((m) => m.content),
    );
    assert.deepEqual(assistant, ["класс"]);
    assert.equal(stats.dropped.media, 1);
    assert.equal(stats.dropped.unknownMarker, 1);
  });
});
