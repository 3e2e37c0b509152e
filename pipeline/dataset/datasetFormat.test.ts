import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { DATASET_FILES } from "../../domain/artifacts/artifactKeys.js";
import { buildFixture } from "./test/buildHarness.js";
import { bob, masha, me, RecordFixture } from "./test/recordFixture.js";

/** The one declaration of the folder format, also tested against by the trainer (trainer/tests). */
const schemaPath = fileURLToPath(
  new URL("../../../domain/artifacts/datasetFormat.schema.json", import.meta.url),
);
const schema = JSON.parse(await readFile(schemaPath, "utf8"));
const folderFormat = z.fromJSONSchema(schema);

/** The folder as the schema describes it: each jsonl as the array of its parsed lines, stats.json parsed. */
async function readFolder(dir: string): Promise<Record<string, unknown>> {
  const lines = async (name: string) =>
    (await readFile(join(dir, name), "utf8"))
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  return {
    [DATASET_FILES.train]: await lines(DATASET_FILES.train),
    [DATASET_FILES.val]: await lines(DATASET_FILES.val),
    [DATASET_FILES.stats]: JSON.parse(await readFile(join(dir, DATASET_FILES.stats), "utf8")),
  };
}

const problems = (value: unknown) => {
  const result = folderFormat.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

/** Two chats over many days (sessions to hold out), contacts' personal data to redact, a skipped input. */
function chats(): RecordFixture {
  const f = new RecordFixture().account(me.id, me.name).chat("100", masha.name);
  for (let i = 0; i < 12; i++)
    f.after(8, "h")
      .msg(masha.id, masha.name, `вопрос ${i}, пиши на a${i}@example.com`)
      .msg(me.id, me.name, `ответ ${i}, звони +7 999 123 45 6${i % 10}`);
  f.chat("200", "Друзья", "group").msg(bob.id, bob.name, "hi all").msg(me.id, me.name, "hey 👋");
  f.chat("300", "News", "channel").msg(bob.id, bob.name, "news");
  return f.skipped("bad json", "result.json:10");
}

describe("the dataset folder format (domain/artifacts/datasetFormat.schema.json)", () => {
  it("names the files the pipeline writes", () => {
    assert.deepEqual(Object.keys(schema.properties).sort(), Object.values(DATASET_FILES).sort());
  });

  it("holds for a built dataset: train.jsonl, val.jsonl and stats.json", async () => {
    const built = await buildFixture(chats(), { valFraction: 0.25, pseudonymize: true });
    const always = [DATASET_FILES.train, DATASET_FILES.val, DATASET_FILES.stats];
    assert.deepEqual(built.files, always.sort());
    const folder = await readFolder(built.dir);
    assert.ok((folder[DATASET_FILES.val] as unknown[]).length > 0, "something is held out");
    assert.deepEqual(problems(folder), []);
  });

  it("holds for a build with nothing held out and no system prompt", async () => {
    const built = await buildFixture(chats(), { valFraction: 0, systemPrompt: false });
    const folder = await readFolder(built.dir);
    assert.deepEqual(folder[DATASET_FILES.val], []);
    assert.deepEqual(problems(folder), []);
  });

  it("refuses what the trainer would refuse or misread", async () => {
    const folder = await readFolder((await buildFixture(chats(), { valFraction: 0.25 })).dir);
    const stats = folder[DATASET_FILES.stats] as Record<string, unknown>;
    const broken: Record<string, unknown>[] = [
      { ...folder, [DATASET_FILES.train]: [] },
      { ...folder, [DATASET_FILES.train]: [{ messages: [{ role: "user", content: "no reply to learn" }] }] },
      { ...folder, [DATASET_FILES.train]: [{ messages: [{ role: "bot", content: "x" }] }] },
      { ...folder, [DATASET_FILES.val]: [{ text: "not chat messages" }] },
      { ...folder, [DATASET_FILES.stats]: { ...stats, heldOut: { source: "random", reason: null } } },
      { ...folder, [DATASET_FILES.stats]: { ...stats, systemPrompt: 1 } },
      {
        ...folder,
        [DATASET_FILES.stats]: Object.fromEntries(Object.entries(stats).filter(([k]) => k !== "heldOut")),
      },
    ];
    for (const value of broken) assert.notDeepEqual(problems(value), [], JSON.stringify(value).slice(0, 200));
  });
});
