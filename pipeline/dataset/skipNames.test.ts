import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { crc32, deflateRawSync } from "node:zlib";
import { tempDir } from "../archive/test/tempDir.js";
import { buildZip } from "../archive/test/zipWriter.js";
import { exportFilesSource } from "./exportFilesSource.js";
import { inspect } from "./inspect.js";
import { skipMessage } from "./skippedInputs.js";

const zeros = Buffer.alloc(20 * 1024 * 1024);

describe("skipped inputs are named: reason code, numbers, an English message, no server path", () => {
  it("a zip bomb entry, a nested archive, an unknown file and a too-long line", async () => {
    const dir = tempDir();
    const chat = "14.03.2023, 10:00 - Маша: привет\n14.03.2023, 10:01 - Алексей: привет\n";
    const bomb = join(dir, "bomb.zip");
    await writeFile(
      bomb,
      buildZip([
        { name: "chat.txt", compressed: deflateRawSync(zeros), rawSize: zeros.length, rawCrc: crc32(zeros) },
        { name: "old.zip", data: buildZip([{ name: "x.txt", data: "x" }]) },
        { name: "notes.md", data: "# notes" },
        {
          name: "WhatsApp Chat with Маша.txt",
          data: `${chat}14.03.2023, 10:02 - Маша: ${randomBytes(825_000).toString("base64")}\n`,
        },
      ]),
    );
    const summary = await inspect(exportFilesSource([bomb]).records);
    const skipped = summary.skippedInputs;
    const lines = skipped.examples.map(skipMessage);
    for (const line of lines) assert.ok(!line.includes(dir), `a server path in: ${line}`);
    assert.ok(!JSON.stringify(skipped).includes(dir), "a server path in stats");
    const ratio = Math.round(zeros.length / deflateRawSync(zeros).length);
    assert.deepEqual(lines.slice(0, 3), [
      `bomb.zip: chat.txt skipped: compression ratio ${ratio.toLocaleString("en-US")}:1 over the limit of 200:1`,
      "bomb.zip: old.zip skipped: an archive inside the upload is not opened; upload it on its own",
      "bomb.zip: notes.md skipped: not a chat export this platform can read",
    ]);
    assert.match(
      lines[3]!,
      /^bomb\.zip: WhatsApp Chat with Маша\.txt:3 skipped: line longer than 1,048,576 bytes$/,
    );
    assert.deepEqual(
      skipped.examples.map((e) => [e.code, e.values]),
      [
        ["archiveCompressionRatio", { ratio, limit: 200 }],
        ["nestedArchive", undefined],
        ["unknownFormat", undefined],
        ["lineTooLong", { limitBytes: 1_048_576 }],
      ],
    );
    assert.deepEqual(skipped.byReason, {
      archiveCompressionRatio: 1,
      nestedArchive: 1,
      unknownFormat: 1,
      lineTooLong: 1,
    });
  });
});
