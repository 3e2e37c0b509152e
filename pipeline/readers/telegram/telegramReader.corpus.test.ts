import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { sharedDataDir } from "@aiclone/testing/sharedData";
import { telegramReader } from "./telegramReader.js";
import { countsPerChat, readAll } from "./test/collect.js";
import { exportFileFromPath } from "./test/exportFiles.js";

// dist/pipeline/readers/telegram/ → repo root is four levels up; shared/ sits beside the repo.
const corpus = `${join(sharedDataDir(), "corpus")}/`;

function jsonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return jsonFiles(path);
    return name.endsWith(".json") ? [path] : [];
  });
}

type Parsed = Record<string, unknown>;
const isObject = (v: unknown): v is Parsed => typeof v === "object" && v !== null && !Array.isArray(v);

/** Independent count: the small file parsed whole, messages counted per chat id. */
function expectedCounts(parsed: Parsed): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (chat: unknown, ordinal: number) => {
    if (!isObject(chat)) return;
    const id = chat.id === undefined ? `#${ordinal}` : String(chat.id);
    counts.set(id, Array.isArray(chat.messages) ? chat.messages.length : 0);
  };
  if ("messages" in parsed) add(parsed, 0);
  let ordinal = 0;
  for (const section of ["chats", "left_chats"]) {
    const list = isObject(parsed[section]) ? (parsed[section] as Parsed).list : undefined;
    if (Array.isArray(list)) for (const chat of list) add(chat, ordinal++);
  }
  return counts;
}

const files = existsSync(corpus) ? jsonFiles(corpus).sort() : [];
const parsedFiles = files.map((path) => ({
  path,
  parsed: JSON.parse(readFileSync(path, "utf8")) as unknown,
}));
// DiscordChatExporter files have guild and channel at the top; everything else in the corpus is Telegram.
const isDiscord = (parsed: unknown) => isObject(parsed) && "guild" in parsed && "channel" in parsed;
const telegram = parsedFiles.filter((f) => isObject(f.parsed) && !isDiscord(f.parsed));
const discord = parsedFiles.filter((f) => isDiscord(f.parsed));

describe("telegram reader on the shared corpus", {
  skip: files.length === 0 ? `no corpus at ${corpus}` : false,
}, () => {
  it("finds the Telegram samples", () => {
    assert.ok(telegram.length >= 25, `only ${telegram.length} Telegram files`);
  });

  for (const { path, parsed } of telegram) {
    const name = relative(corpus, path);
    it(`reads ${name} with the independent message count per chat`, async () => {
      const head = readFileSync(path).subarray(0, 4096);
      assert.ok(telegramReader.accepts(exportFileFromPath(path, name), head), "accepts() refused it");
      const records = await readAll(exportFileFromPath(path, name));
      const actual = countsPerChat(records);
      const expected = expectedCounts(parsed as Parsed);
      assert.deepEqual(
        [...actual].map(([id, c]) => [id, c.messages + c.skipped]),
        [...expected],
      );
      // These are real exporter outputs: nothing in them should need skipping.
      assert.deepEqual(
        records.filter((r) => r.type === "skipped"),
        [],
      );
      const messages = [...actual.values()].reduce((sum, c) => sum + c.messages, 0);
      const owner = records.find((r) => r.type === "account");
      if ("personal_information" in (parsed as Parsed)) assert.equal(records[0], owner);
      console.log(`${name}: ${actual.size} chats, ${messages} messages`);
    });
  }

  for (const { path } of discord) {
    const name = relative(corpus, path);
    it(`does not accept the Discord export ${name}`, () => {
      assert.equal(
        telegramReader.accepts(exportFileFromPath(path, name), readFileSync(path).subarray(0, 4096)),
        false,
      );
    });
  }
});
