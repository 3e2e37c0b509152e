import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { until } from "@aiclone/testing/until";
import { DATASET_FILES, datasetFileKey } from "../../domain/index.js";
import { GraphQLTestClient } from "../../testing/platform/graphqlClient.js";
import { PlatformHarness } from "../../testing/platform/platformHarness.js";
import {
  apiOf,
  cloneWithDataset,
  finishedJob,
  requestTraining,
  standInTrainerEnv,
} from "./trainingScenario.js";

/**
 * The owner's corrections through the API, on embedded defaults: a preview reply of v1 corrected, a
 * corrections file imported (twice: the second adds nothing), the next dataset includes both (train.jsonl,
 * preferences.jsonl, stats) with the requested weight, and the run trained on it records them in its lineage.
 */
const RECORD =
  "mutation ($input: RecordCorrectionInput!) { recordCorrection(input: $input) { correction { id at channel adapterVersion context { role content } draft ownerText } clone { corrections { total notInDataset } } } }";
const IMPORT =
  "mutation ($id: ID!, $text: String!) { importCorrections(input: {cloneId: $id, text: $text}) { imported alreadyRecorded clone { corrections { total notInDataset } } } }";
const LIST =
  "query ($id: ID!, $first: Int, $offset: Int) { corrections(cloneId: $id, first: $first, offset: $offset) { totalCount hasNextPage nodes { id channel ownerText } } }";

const correctionsFile = (cloneId: string | null) =>
  JSON.stringify({
    format: "aiclone-corrections",
    version: 1,
    clone: { id: cloneId, displayName: "Аня", adapterVersion: 1 },
    exportedAt: "2026-12-06T23:00:00Z",
    corrections: [
      {
        id: "tg-1",
        at: "2026-12-06T22:00:00+03:00",
        channel: "telegram",
        context: [{ role: "user", content: "Идёшь завтра в бассейн?" }],
        draft: "Да, пойду.",
        ownerText: "Неа, завтра никак, давай в четверг",
      },
    ],
  });

describe("corrections through the API (one process, the stand-in trainer)", () => {
  let harness: PlatformHarness;
  let api: GraphQLTestClient;
  let stranger: GraphQLTestClient;
  let cloneId: string;

  before(async () => {
    process.env.STANDIN_STEP_MS = "5";
    harness = await PlatformHarness.start(standInTrainerEnv);
    api = apiOf(harness);
    cloneId = await cloneWithDataset(api);
    const job = await finishedJob(api, await requestTraining(api, cloneId, { maxSteps: 3 }));
    assert.equal(job.adapterVersion, 1);
    const other = await harness.platform.services.owners.createOwner("Чужой", {
      kind: "system",
      name: "test",
    });
    stranger = new GraphQLTestClient(harness.platform.graphqlUrl, other.token);
  });
  after(() => harness.destroy());

  it("records a corrected preview reply and an imported file once; another owner's clone is missing", async () => {
    const input = {
      cloneId,
      adapterVersion: 1,
      context: [{ role: "USER", content: "Как дела?" }],
      draft: "Хорошо, спасибо.",
      ownerText: "  Да норм, с работы иду  ",
    };
    const { recordCorrection } = await api.data(RECORD, { input });
    assert.equal(recordCorrection.correction.channel, "preview");
    assert.equal(recordCorrection.correction.adapterVersion, 1);
    assert.equal(recordCorrection.correction.ownerText, "Да норм, с работы иду");
    assert.deepEqual(recordCorrection.clone.corrections, { total: 1, notInDataset: 1 });
    const foreign = await stranger.request(RECORD, { input });
    assert.equal(foreign.errors?.[0]?.extensions?.code, "NOT_FOUND");
    const empty = await api.request(RECORD, { input: { ...input, ownerText: " " } });
    assert.equal(empty.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");

    const first = (await api.data(IMPORT, { id: cloneId, text: correctionsFile(cloneId) })).importCorrections;
    assert.deepEqual([first.imported, first.alreadyRecorded], [1, 0]);
    const again = (await api.data(IMPORT, { id: cloneId, text: correctionsFile(null) })).importCorrections;
    assert.deepEqual([again.imported, again.alreadyRecorded], [0, 1]);
    assert.deepEqual(again.clone.corrections, { total: 2, notInDataset: 2 });
    const bad = await api.request(IMPORT, { id: cloneId, text: "{}" });
    assert.equal(bad.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");

    const { corrections } = await api.data(LIST, { id: cloneId, first: 1, offset: 0 });
    assert.equal(corrections.totalCount, 2);
    assert.equal(corrections.hasNextPage, true);
    assert.equal(corrections.nodes[0].channel, "preview", "newest first");
    assert.equal((await stranger.request(LIST, { id: cloneId })).errors?.[0]?.extensions?.code, "NOT_FOUND");
  });

  it("the next dataset includes them (train only, weighted, with preference pairs); the run's lineage counts them", async () => {
    await api.data("mutation ($input: BuildDatasetInput!) { buildDataset(input: $input) { status } }", {
      input: { cloneId, owner: "Аня", valFraction: 0.2, correctionWeight: 3 },
    });
    const clone = await until("the second dataset", async () => {
      const { clone } = await api.data(
        "query ($id: ID!) { clone(id: $id) { status corrections { total notInDataset } dataset { version stats { corrections trainSamples } } } }",
        { id: cloneId },
      );
      return clone.dataset.version === 2 ? clone : undefined;
    });
    assert.equal(clone.dataset.stats.corrections, 2);
    assert.deepEqual(clone.corrections, { total: 2, notInDataset: 0 });

    const { artifacts } = harness.platform.adapters;
    const keys: string[] = [];
    for await (const info of artifacts.list(`clones/${cloneId}/datasets/`)) keys.push(info.key);
    const prefix = keys
      .find((k) => k.endsWith(DATASET_FILES.preferences))
      ?.slice(0, -DATASET_FILES.preferences.length);
    assert.ok(prefix, `preferences.jsonl stored: ${keys.join(", ")}`);
    const text = async (name: string) => {
      const chunks: Buffer[] = [];
      for await (const chunk of await artifacts.get(datasetFileKey(prefix, name)))
        chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    };
    const train = (await text(DATASET_FILES.train))
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const marked = train.filter((s) => s.source === "correction");
    assert.equal(marked.length, 2);
    assert.ok(marked.every((s) => s.weight === 3));
    assert.equal(
      marked.find((s) => s.correctionId === "tg-1")?.messages.at(-1).content,
      "Неа, завтра никак, давай в четверг",
    );
    assert.equal(train.length, clone.dataset.stats.trainSamples);
    assert.ok(!(await text(DATASET_FILES.val)).includes("в четверг"), "val.jsonl holds only real replies");
    const pairs = (await text(DATASET_FILES.preferences))
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    assert.deepEqual(pairs.map((p) => [p.chosen, p.rejected]).sort(), [
      ["Да норм, с работы иду", "Хорошо, спасибо."],
      ["Неа, завтра никак, давай в четверг", "Да, пойду."],
    ]);
    const stats = JSON.parse(await text(DATASET_FILES.stats));
    assert.deepEqual(stats.corrections, { samples: 2, weight: 3, preferencePairs: 2 });

    const job = await finishedJob(api, await requestTraining(api, cloneId, { maxSteps: 3 }));
    assert.equal(job.status, "COMPLETED");
    const { clone: after } = await api.data(
      "query ($id: ID!) { clone(id: $id) { trainingRuns { adapterVersion lineage { datasetVersion correctionsIncluded } } } }",
      { id: cloneId },
    );
    assert.deepEqual(
      after.trainingRuns.map((r: { lineage: unknown }) => r.lineage),
      [
        { datasetVersion: 1, correctionsIncluded: 0 },
        { datasetVersion: 2, correctionsIncluded: 2 },
      ],
    );
  });
});
