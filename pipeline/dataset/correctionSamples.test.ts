import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { DATASET_FILES } from "../../domain/artifacts/artifactKeys.js";
import { addCorrections, type CorrectionForDataset, correctionRecords } from "./correctionSamples.js";
import { buildFixture } from "./test/buildHarness.js";
import { masha, me, RecordFixture } from "./test/recordFixture.js";

const schemaPath = fileURLToPath(
  new URL("../../../domain/artifacts/datasetFormat.schema.json", import.meta.url),
);
const folderFormat = z.fromJSONSchema(JSON.parse(await readFile(schemaPath, "utf8")));

const lines = async (dir: string, name: string) =>
  (await readFile(join(dir, name), "utf8").catch(() => ""))
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));

const correction = (over: Partial<CorrectionForDataset> = {}): CorrectionForDataset => ({
  correctionId: "k1",
  context: [
    { role: "user", content: "Привет! Как ты?" },
    { role: "assistant", content: "Норм" },
    { role: "user", content: "Придёшь завтра? Пиши на a@example.com" },
  ],
  draft: "Да, приду.",
  ownerText: "Ага, буду к семи, звони +7 999 123 45 67",
  ...over,
});

function chats(): RecordFixture {
  const f = new RecordFixture().account(me.id, me.name).chat("100", masha.name);
  for (let i = 0; i < 12; i++)
    f.after(8, "h").msg(masha.id, masha.name, `вопрос ${i}`).msg(me.id, me.name, `ответ ${i}`);
  return f;
}

describe("the owner's corrections in a dataset", () => {
  it("given a correction, its sample is the system prompt, the context, then the owner's text; marked and weighted", () => {
    const { samples, pairs } = correctionRecords([correction()], { systemPrompt: "Ты — Я.", weight: 2 });
    assert.deepEqual(samples, [
      {
        messages: [
          { role: "system", content: "Ты — Я." },
          { role: "user", content: "Привет! Как ты?" },
          { role: "assistant", content: "Норм" },
          { role: "user", content: "Придёшь завтра? Пиши на <EMAIL>" },
          { role: "assistant", content: "Ага, буду к семи, звони <PHONE>" },
        ],
        source: "correction",
        correctionId: "k1",
        weight: 2,
      },
    ]);
    assert.deepEqual(pairs, [
      {
        messages: samples[0]?.messages.slice(0, -1),
        chosen: "Ага, буду к семи, звони <PHONE>",
        rejected: "Да, приду.",
        correctionId: "k1",
      },
    ]);
  });

  it("makes no preference pair when the owner kept the draft, nor from an empty prompt; skips an empty text", () => {
    const { samples, pairs } = correctionRecords(
      [
        correction({ correctionId: "same", ownerText: "Да, приду." }),
        correction({ correctionId: "bare", context: [] }),
        correction({ correctionId: "empty", ownerText: "  " }),
      ],
      { systemPrompt: null, weight: 1 },
    );
    assert.deepEqual(
      samples.map((s) => s.correctionId),
      ["same", "bare"],
    );
    assert.deepEqual(samples[1]?.messages, [
      { role: "assistant", content: "Ага, буду к семи, звони <PHONE>" },
    ]);
    assert.deepEqual(pairs, []);
  });

  it("adds them to a built dataset's train.jsonl only, writes preferences.jsonl and counts them in stats.json", async () => {
    const built = await buildFixture(chats(), { valFraction: 0.25 });
    const valBefore = await lines(built.dir, DATASET_FILES.val);
    const summary = await addCorrections(built.dir, [correction(), correction({ correctionId: "k2" })], {
      systemPrompt: built.stats.systemPrompt,
      weight: 1.5,
    });
    assert.deepEqual(summary, { samples: 2, weight: 1.5, preferencePairs: 2 });
    const train = await lines(built.dir, DATASET_FILES.train);
    assert.equal(train.length, built.train.length + 2);
    assert.deepEqual(
      train.slice(-2).map((s) => [s.source, s.correctionId, s.weight]),
      [
        ["correction", "k1", 1.5],
        ["correction", "k2", 1.5],
      ],
    );
    assert.equal(train.at(-1).messages[0].content, built.stats.systemPrompt);
    assert.deepEqual(
      await lines(built.dir, DATASET_FILES.val),
      valBefore,
      "val.jsonl holds only real replies",
    );
    const stats = JSON.parse(await readFile(join(built.dir, DATASET_FILES.stats), "utf8"));
    assert.deepEqual(stats.corrections, summary);
    assert.equal(stats.samples, built.stats.samples + 2);
    assert.equal(stats.trainSamples, built.stats.trainSamples + 2);
    const folder = {
      [DATASET_FILES.train]: train,
      [DATASET_FILES.val]: valBefore,
      [DATASET_FILES.stats]: stats,
      [DATASET_FILES.preferences]: await lines(built.dir, DATASET_FILES.preferences),
    };
    const result = folderFormat.safeParse(folder);
    assert.deepEqual(
      result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
      [],
    );
  });

  it("leaves a dataset without corrections as it was (no preferences.jsonl, no stats entry)", async () => {
    const built = await buildFixture(chats(), { valFraction: 0.25 });
    const statsBefore = await readFile(join(built.dir, DATASET_FILES.stats), "utf8");
    assert.deepEqual(await addCorrections(built.dir, [], { systemPrompt: null, weight: 2 }), {
      samples: 0,
      weight: 2,
      preferencePairs: 0,
    });
    assert.equal(await readFile(join(built.dir, DATASET_FILES.stats), "utf8"), statsBefore);
    assert.deepEqual(await lines(built.dir, DATASET_FILES.preferences), []);
  });
});
