import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { crc32, deflateRawSync } from "node:zlib";
import { sharedDataDir } from "@aiclone/testing/sharedData";
import { buildZip } from "../../pipeline/archive/test/zipWriter.js";

const bin = fileURLToPath(new URL("../../../bin/aiclone", import.meta.url));
const corpus = `${join(sharedDataDir(), "corpus")}/`;
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, "dataset", "build", ...args], { encoding: "utf8" });

/** Owner = Alice in a two-person Telegram chat of the corpus, so every reply is checkable against the export. */
const aliceExport = join(corpus, "mlomb__chat-analytics__AGPL-3.0/tests/samples/telegram/DM_2A_7M.json");

describe("aiclone dataset build", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "aiclone-dataset-cli-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("writes train.jsonl, val.jsonl and stats.json whose replies are only the owner's words", async () => {
    const out = join(dir, "alice");
    const result = run(aliceExport, "--owner", "Alice", "--out", out);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /owner's messages\s+5/);
    const stats = JSON.parse(await readFile(join(out, "stats.json"), "utf8"));
    assert.equal(stats.messagesRead, 8);
    assert.equal(stats.ownerMessages, 5);
    const exported = JSON.parse(await readFile(aliceExport, "utf8")) as {
      messages: { from?: string; text: unknown }[];
    };
    const aliceTexts = exported.messages
      .filter((m) => m.from === "Alice" && typeof m.text === "string")
      .map((m) => m.text as string);
    const lines = (await readFile(join(out, "train.jsonl"), "utf8")).split("\n").filter(Boolean);
    assert.ok(lines.length > 0);
    for (const line of lines)
      for (const turn of JSON.parse(line).messages.filter((m: { role: string }) => m.role === "assistant"))
        for (const part of turn.content.split("\n"))
          assert.ok(aliceTexts.includes(part), `not Alice's words: ${part}`);
    await readFile(join(out, "val.jsonl"), "utf8");
  });

  it("keeps conversations the owner starts as openers, counted; --no-openers drops them", async () => {
    const chat = join(dir, "WhatsApp Chat with Маша.txt");
    const lines = [
      "14.03.2023, 10:00 - Алексей: привет, ты где?",
      "14.03.2023, 10:05 - Маша: дома",
      "14.03.2023, 10:06 - Алексей: ок",
    ];
    await writeFile(chat, `${lines.join("\n")}\n`);
    const kept = run(chat, "--owner", "Алексей", "--dry-run");
    assert.equal(kept.status, 0, kept.stderr);
    assert.match(kept.stdout, /openers \(owner starts\)\s+1 samples, 1 messages/);
    const out = join(dir, "no-openers");
    const dropped = run(chat, "--owner", "Алексей", "--out", out, "--no-openers");
    assert.equal(dropped.status, 0, dropped.stderr);
    const stats = JSON.parse(await readFile(join(out, "stats.json"), "utf8"));
    assert.deepEqual(
      [stats.options.openers, stats.openers.samples, stats.dropped.leadingOwnerTurn],
      [false, 0, 1],
    );
    assert.match(dropped.stdout, /dropped: leadingOwnerTurn\s+1/);
  });

  it("names every skipped entry with its reason and limit, without a server path", async () => {
    const zeros = Buffer.alloc(20 * 1024 * 1024);
    const compressed = deflateRawSync(zeros);
    const bomb = join(dir, "bomb.zip");
    await writeFile(
      bomb,
      buildZip([
        { name: "chat.txt", compressed, rawSize: zeros.length, rawCrc: crc32(zeros) },
        { name: "old.zip", data: buildZip([{ name: "x.txt", data: "x" }]) },
      ]),
    );
    const result = run(bomb, "--dry-run");
    const ratio = Math.round(zeros.length / compressed.length).toLocaleString("en-US");
    assert.match(
      result.stdout,
      new RegExp(
        `^bomb\\.zip: chat\\.txt skipped: compression ratio ${ratio}:1 over the limit of 200:1$`,
        "m",
      ),
    );
    assert.match(result.stdout, /^bomb\.zip: old\.zip skipped: an archive inside the upload is not opened/m);
    assert.ok(!result.stdout.includes(dir) && !result.stderr.includes(dir), result.stdout + result.stderr);
  });

  it("lists the candidates when the export does not say whose it is", () => {
    const result = run(aliceExport, "--dry-run");
    assert.equal(result.status, 1);
    assert.match(result.stderr, /choose the owner/);
    assert.match(result.stderr, /Alice\s+5 messages/);
    assert.match(result.stderr, /Bob\s+3 messages/);
  });

  it("names the file and the byte offset of an export it cannot read, and writes nothing", async () => {
    const broken = join(dir, "result.json");
    await writeFile(broken, '{"name": "x", "type": "personal_chat", "messages": [{"id": 1, "text": "при');
    const out = join(dir, "broken-out");
    const result = run(broken, "--owner", "x", "--out", out);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /result\.json \(byte \d+\)/);
    assert.equal(
      spawnSync("ls", [out]).status !== 0 ||
        spawnSync("ls", [out], { encoding: "utf8" }).stdout.trim() === "",
      true,
    );
  });

  it("reads every Telegram, WhatsApp and Discord export of the corpus in a dry run", () => {
    const files = spawnSync(
      "find",
      [corpus, "-type", "f", "(", "-name", "*.json", "-o", "-name", "*.txt", ")"],
      {
        encoding: "utf8",
      },
    )
      .stdout.split("\n")
      .filter((f) => f && !/FORMATS|PROVENANCE|README|LICENSE|package|tsconfig/i.test(f));
    let read = 0;
    for (const file of files) {
      const result = run(file, "--dry-run");
      // Exit 1 is "choose the owner" (the export does not name one); anything else is a failure to read.
      if (result.status === 1 && /choose the owner|No authors/.test(result.stderr)) read++;
      else if (result.status === 0) read++;
      else if (!/no reader/i.test(result.stderr)) assert.fail(`${file}: ${result.stderr}`);
    }
    assert.ok(read >= 30, `only ${read} corpus exports were read`);
  });
});
