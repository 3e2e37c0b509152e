import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../../../bin/aiclone", import.meta.url));

test("`aiclone dataset build --help` lists every supported export with how to get it", () => {
  const result = spawnSync(process.execPath, [bin, "dataset", "build", "--help"], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  for (const expected of [
    "Telegram (JSON)",
    "Export chat history",
    "Telegram (HTML)",
    "messages2.html",
    "WhatsApp",
    "Android:",
    "iPhone:",
    "Discord",
    "DiscordChatExporter",
    "VK",
    "vk.com/data_protection",
    "Запросить архив",
  ])
    assert.ok(result.stdout.includes(expected), `help lacks "${expected}":\n${result.stdout}`);
});
