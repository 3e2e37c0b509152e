import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import type { ExportFile } from "../../../model/exportSource.js";
import { discordReader } from "../discordReader.js";
import { collect } from "./collect.js";
import { corpusRoot } from "./corpusPath.js";
import { memoryExportFile } from "./memoryExportFile.js";

function jsonFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) jsonFiles(path, out);
    else if (name.endsWith(".json")) out.push(path);
  }
  return out;
}

const root = corpusRoot();
const all = jsonFiles(root);
const discordFiles = all.filter((f) => readFileSync(f, "utf8").includes('"guild"'));

test("the corpus has DiscordChatExporter files", () => {
  assert.ok(discordFiles.length >= 4, `found ${discordFiles.length}`);
});

for (const path of discordFiles) {
  const name = relative(root, path);
  test(`corpus ${name}: one chat, every message, in order`, async () => {
    const bytes = readFileSync(path);
    const parsed = JSON.parse(bytes.toString("utf8")) as {
      channel: { id: string };
      messages: { id: string }[];
    };
    const file: ExportFile = memoryExportFile(name, bytes, [97, 4096]);
    assert.equal(discordReader.accepts(file, bytes.subarray(0, 65536)), true);
    const records = await collect(discordReader, file);
    assert.equal(records[0]?.type, "chat");
    const messages = records.flatMap((r) => (r.type === "message" ? [r.message] : []));
    assert.equal(messages.length, parsed.messages.length);
    assert.equal(records.filter((r) => r.type === "skipped").length, 0);
    assert.deepEqual(
      messages.map((m) => m.id),
      parsed.messages.map((m) => m.id),
    );
    for (const m of messages) {
      assert.equal(m.chatId, parsed.channel.id);
      assert.ok(Number.isFinite(m.timestamp));
    }
  });
}

test("no other corpus JSON is taken for a Discord export", () => {
  for (const path of all.filter((f) => !discordFiles.includes(f))) {
    const head = readFileSync(path).subarray(0, 65536);
    assert.equal(discordReader.accepts(memoryExportFile(relative(root, path), head), head), false, path);
  }
});

test("corpus details: group DM fallback text, DM call, attachments and stickers", async () => {
  const read = async (suffix: string) => {
    const path = discordFiles.find((f) => f.endsWith(suffix))!;
    return collect(discordReader, memoryExportFile(suffix, readFileSync(path)));
  };
  const gc = await read("GC_3A_5M.json");
  assert.deepEqual(gc[0]?.type === "chat" && gc[0].chat.type, "group");
  const rename = gc.find((r) => r.type === "message" && r.message.kind === "service");
  assert.ok(rename?.type === "message" && rename.message.text === "Changed the channel name.");

  const dm = await read("DM_2A_2M.json");
  assert.deepEqual(dm[0]?.type === "chat" && dm[0].chat.type, "personal");
  assert.ok(
    dm.some((r) => r.type === "message" && r.message.kind === "service" && /call/i.test(r.message.text)),
  );

  const sv = await read("SV_5A_5M.json");
  assert.deepEqual(sv[0]?.type === "chat" && sv[0].chat, {
    id: "253601524398293010",
    name: "general-chiptune",
    type: "group",
    format: "discord-json",
    source: "memory!/SV_5A_5M.json",
  });
  const withMedia = sv.find((r) => r.type === "message" && r.message.media);
  assert.ok(withMedia?.type === "message");
  assert.equal(withMedia.message.kind, "text");
  assert.deepEqual(withMedia.message.media, [
    { type: "photo", path: "https://cdn.discordapp.com/attachments/123/123/unknown.png" },
    { type: "sticker", path: "https://discord.com/stickers/809207919115239525.png" },
  ]);
  const noNickname = sv.find((r) => r.type === "message" && r.message.id === "447793085255123004");
  assert.ok(noNickname?.type === "message" && noNickname.message.authorName === "mlomb");
  const edited = sv.find((r) => r.type === "message" && r.message.edited);
  assert.ok(edited);

  const chatpack = await read("discord_export.json");
  const reply = chatpack.find((r) => r.type === "message" && r.message.id === "1005");
  assert.ok(reply?.type === "message" && reply.message.replyToId === "1004");
  assert.equal(reply.message.timestamp, Date.UTC(2024, 0, 15, 10, 31, 0));
});
