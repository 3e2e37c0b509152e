import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { sharedDataDir } from "@aiclone/testing/sharedData";
import type { ChatMessage, ExportRecord } from "../../model/conversation.js";
import { readTelegramExport } from "../telegram/index.js";
import { exportFileFromPath } from "../telegram/test/exportFiles.js";
import { readTelegramHtml } from "./telegramHtmlReader.js";

// langchain-community's test data: one chat exported as HTML and as JSON (see shared/corpus/PROVENANCE.md).
const dir = join(
  sharedDataDir(),
  "corpus",
  "langchain-ai__langchain-community",
  "unit_tests",
  "chat_loaders",
  "data",
);
const html = join(dir, "telegram_chat_html", "messages.html");
const json = join(dir, "telegram_chat_json", "result.json");

async function messages(records: AsyncIterable<ExportRecord>): Promise<ChatMessage[]> {
  const out: ChatMessage[] = [];
  for await (const r of records) if (r.type === "message") out.push(r.message);
  return out;
}

describe("telegram HTML reader: the corpus's HTML export beside its JSON twin", {
  skip: !existsSync(html),
}, () => {
  it("reads the same messages, authors (joined one included) and texts", async () => {
    const fromHtml = await messages(readTelegramHtml(exportFileFromPath(html, "messages.html")));
    const fromJson = await messages(readTelegramExport(exportFileFromPath(json, "result.json")));
    assert.equal(fromHtml.length, 4);
    const view = (m: ChatMessage) => [m.id, m.authorName, m.text, m.kind];
    assert.deepEqual(fromHtml.map(view), fromJson.map(view));
    assert.equal(fromHtml[3]?.authorName, "Jimmeny Marvelton", "the joined message continues its author");
  });

  it("reads the dates at their stated offset, in the JSON's order and spacing", async () => {
    const fromHtml = await messages(readTelegramHtml(exportFileFromPath(html, "messages.html")));
    const fromJson = await messages(readTelegramExport(exportFileFromPath(json, "result.json")));
    // "23.08.2023 13:11:23 UTC-08:00"
    assert.equal(fromHtml[0]?.timestamp, Date.UTC(2023, 7, 23, 21, 11, 23));
    // The hand-written HTML says UTC-08:00 where its JSON twin's date_unixtime is UTC-07:00 (August in
    // California): one hour apart, the same for every message.
    const shifts = new Set(fromHtml.map((m, i) => m.timestamp - (fromJson[i]?.timestamp ?? 0)));
    assert.deepEqual([...shifts], [3_600_000]);
  });
});
