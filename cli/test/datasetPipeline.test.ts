import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { until } from "@aiclone/testing/until";
import { GraphQLTestClient } from "../../testing/platform/graphqlClient.js";
import { PlatformHarness } from "../../testing/platform/platformHarness.js";
import { useTestBaseModels } from "../../testing/platform/testBaseModels.js";
import { identityExports } from "./identityExports.js";
import { telegramExport } from "./telegramExportFixture.js";

// The random-weight test model is not in the production catalogue: this test registers it.
useTestBaseModels();

const CLONE = `query ($id: ID!) { clone(id: $id) {
  status
  sources { id purged inspection { formats messages chats { name type messages } participants { id name messages } ownerCandidate { id name } firstMessageAt lastMessageAt error } }
  dataset { version stats { samples ownerMessages trainSamples validationSamples droppedMessages } }
  datasetRequest { id status owner excludeChats }
  datasetError { reason }
} }`;
const UPLOAD = "mutation ($id: ID!, $file: Upload!) { uploadSource(cloneId: $id, file: $file) { status } }";
const BUILD =
  "mutation ($input: BuildDatasetInput!) { buildDataset(input: $input) { status datasetRequest { status } } }";

describe("dataset pipeline through the API (embedded platform)", () => {
  let harness: PlatformHarness;
  let api: GraphQLTestClient;
  before(async () => {
    harness = await PlatformHarness.start();
    api = new GraphQLTestClient(harness.platform.graphqlUrl, harness.platform.initialApiKey);
  });
  after(() => harness.destroy());

  const clone = async (id: string) => (await api.data(CLONE, { id })).clone;

  it("inspects an upload, builds a dataset of the owner's replies, and purges the raw export", async () => {
    const { createClone } = await api.data('mutation { createClone(input: {name: "Аня"}) { id } }');
    const id = createClone.id;
    const uploaded = await api.upload(UPLOAD, { id }, "file", {
      name: "result.json",
      content: telegramExport(),
    });
    assert.equal(uploaded.errors, undefined, JSON.stringify(uploaded.errors));

    const inspection = await until(
      "SourceInspected",
      async () => (await clone(id)).sources[0].inspection ?? undefined,
    );
    assert.equal(inspection.error, null);
    assert.deepEqual(inspection.formats, ["telegram-json"]);
    assert.equal(inspection.messages, 60);
    assert.deepEqual(inspection.chats, [{ name: "Петя", type: "personal", messages: 60 }]);
    assert.deepEqual(
      inspection.participants.map((p: { name: string; messages: number }) => [p.name, p.messages]),
      [
        ["Аня", 36],
        ["Петя", 24],
      ],
    );
    assert.equal(inspection.firstMessageAt, "2024-01-10T09:00:00.000Z");

    const ambiguous = await api.data(BUILD, { input: { cloneId: id } });
    assert.equal(ambiguous.buildDataset.status, "DATASET_BUILDING");
    const failed = await until("DatasetFailed", async () => (await clone(id)).datasetError ?? undefined);
    assert.match(failed.reason, /choose the owner/);
    assert.match(failed.reason, /Аня/);

    await api.data(BUILD, { input: { cloneId: id, owner: "Аня", valFraction: 0.2 } });
    const built = await until("DatasetBuilt", async () => {
      const c = await clone(id);
      return c.status === "DATASET_READY" ? c : undefined;
    });
    assert.equal(built.datasetRequest.status, "BUILT");
    assert.equal(built.dataset.version, 1);
    // Twelve days are twelve sessions; near-identical ones are removed as near duplicates.
    assert.ok(built.dataset.stats.samples >= 5, JSON.stringify(built.dataset.stats));
    assert.equal(built.dataset.stats.ownerMessages, 36);
    assert.equal(
      built.dataset.stats.trainSamples + built.dataset.stats.validationSamples,
      built.dataset.stats.samples,
    );

    const { artifacts } = harness.platform.adapters;
    const keys: string[] = [];
    for await (const a of artifacts.list(`clones/${id}/datasets/`)) keys.push(a.key.split("/").at(-1)!);
    assert.deepEqual(keys.sort(), ["stats.json", "train.jsonl", "val.jsonl"]);
    // The upload's inspection summary is stored beside it, for builds to reuse.
    const summaries: string[] = [];
    for await (const a of artifacts.list(`clones/${id}/inspections/`)) summaries.push(a.key);
    assert.equal(summaries.length, 1);
    const train: string = await new Response(
      (await artifacts.get(
        `clones/${id}/datasets/${built.datasetRequest.id}/train.jsonl`,
      )) as unknown as ReadableStream,
    ).text();
    const sample = JSON.parse(train.split("\n")[0]!);
    const assistant = sample.messages.filter((m: { role: string }) => m.role === "assistant");
    assert.ok(assistant.length > 0);
    for (const turn of assistant) assert.doesNotMatch(turn.content, /Петя|позвони/);
    const val: string = await new Response(
      (await artifacts.get(
        `clones/${id}/datasets/${built.datasetRequest.id}/val.jsonl`,
      )) as unknown as ReadableStream,
    ).text();
    // Held-out replies may sit in either split (whole sessions, or the last replies inside sessions).
    const both = train + val;
    assert.ok(both.includes("<PHONE>") && !both.includes("345-67-89"), "phone numbers are redacted");

    // The full report and a preview, through the API (what the dashboard's dataset screen shows).
    const { clone: reported } = await api.data(
      "query ($id: ID!) { clone(id: $id) { dataset { report preview(limit: 2) } } }",
      { id },
    );
    assert.equal(reported.dataset.report.samples, built.dataset.stats.samples);
    assert.equal(reported.dataset.report.owner.name, "Аня");
    assert.ok(reported.dataset.report.styleProfile, "the owner's style profile is in the report");
    assert.equal(reported.dataset.preview.length, 2);
    assert.deepEqual(reported.dataset.preview[0], sample);

    // Аня writes Russian: the English-only SmolLM2 does not serve it, Qwen2.5 does (the training screen's warning).
    const {
      clone: fit,
      baseModels,
      trainable: trainability,
    } = await api.data(
      "query ($id: ID!) { clone(id: $id) { dataset { languageFit { ownerLanguages baseModels { name unservedLanguages } } } } baseModels { name languages checksumVerified } trainable: baseModels { name parameters trainableHere untrainableReason } }",
      { id },
    );
    assert.equal(fit.dataset.languageFit.ownerLanguages[0], "ru");
    const unserved = Object.fromEntries(
      fit.dataset.languageFit.baseModels.map((m: { name: string; unservedLanguages: string[] }) => [
        m.name,
        m.unservedLanguages,
      ]),
    );
    assert.deepEqual(unserved["smollm2-135m-instruct"], ["ru"]);
    assert.deepEqual(unserved["qwen2.5-7b-instruct"], []);
    assert.deepEqual(unserved["llama-2-tiny-random"], []);
    const smol = baseModels.find((m: { name: string }) => m.name === "smollm2-135m-instruct");
    assert.deepEqual(smol, { name: "smollm2-135m-instruct", languages: ["en"], checksumVerified: true });
    const qwen = baseModels.find((m: { name: string }) => m.name === "qwen2.5-7b-instruct");
    assert.equal(qwen.checksumVerified, false);
    // Whether the platform's trainer can train each: SmolLM2 anywhere; the 7B Qwen not on a CPU-only machine.
    const trainable = Object.fromEntries(trainability.map((m: { name: string }) => [m.name, m]));
    assert.deepEqual(trainable["smollm2-135m-instruct"], {
      name: "smollm2-135m-instruct",
      parameters: 1.35e8,
      trainableHere: true,
      untrainableReason: null,
    });
    const hasGpu = spawnSync("nvidia-smi", ["-L"], { stdio: "ignore" }).status === 0;
    if (!hasGpu) assert.equal(trainable["qwen2.5-7b-instruct"].untrainableReason, "NEEDS_GPU");
    const tooMany = await api.request(
      "query ($id: ID!) { clone(id: $id) { dataset { preview(limit: 50) } } }",
      {
        id,
      },
    );
    assert.match(tooMany.errors?.[0]?.message ?? "", /limit: must be between 1 and 20/);

    const purged = await api.data(
      "mutation ($id: ID!) { purgeRawData(cloneId: $id) { sources { purged } } }",
      { id },
    );
    assert.deepEqual(purged.purgeRawData.sources, [{ purged: true }]);
    const left: string[] = [];
    for await (const a of artifacts.list(`clones/${id}/sources/`)) left.push(a.key);
    assert.deepEqual(left, []);
    const summariesLeft: string[] = [];
    for await (const a of artifacts.list(`clones/${id}/inspections/`)) summariesLeft.push(a.key);
    assert.deepEqual(summariesLeft, []);
    const again = await api.request(BUILD, { input: { cloneId: id, owner: "Аня" } });
    assert.equal(again.errors?.[0]?.extensions?.code, "CONFLICT");
    assert.match(again.errors?.[0]?.message ?? "", /purged/);
  });

  it("takes one person across exports, and asks for consent when another account made the export", async () => {
    const { createClone } = await api.data('mutation { createClone(input: {name: "Аня везде"}) { id } }');
    const id = createClone.id;
    // A full Telegram export made by Петя's account (user2), and a WhatsApp chat where Аня is "Анечка".
    for (const file of identityExports()) await api.upload(UPLOAD, { id }, "file", file);
    await until("both inspected", async () =>
      (await clone(id)).sources.every((s: { inspection: unknown }) => s.inspection) ? true : undefined,
    );
    const tg = (await clone(id)).sources.find(
      (s: { inspection: { ownerCandidate: unknown } }) => s.inspection.ownerCandidate,
    );
    assert.deepEqual(tg.inspection.ownerCandidate, { id: "user2", name: "Петя" });

    const owners = ["user1", "Анечка"];
    const refused = await api.request(BUILD, { input: { cloneId: id, owners } });
    assert.equal(refused.errors?.[0]?.extensions?.code, "BAD_USER_INPUT", JSON.stringify(refused.errors));
    assert.match(refused.errors?.[0]?.message ?? "", /made by Петя.*confirm/);

    await api.data(BUILD, { input: { cloneId: id, owners, ownerConfirmed: true } });
    const built = await until("DatasetBuilt", async () => {
      const c = await clone(id);
      return c.status === "DATASET_READY" ? c : undefined;
    });
    assert.equal(built.dataset.stats.ownerMessages, 36 + 16);
    const { datasetRequest } = await api
      .data("query ($id: ID!) { clone(id: $id) { datasetRequest { owner owners ownerConfirmed } } }", { id })
      .then((d) => d.clone);
    assert.deepEqual(datasetRequest, { owner: "user1", owners, ownerConfirmed: true });
    const report = await api.data("query ($id: ID!) { clone(id: $id) { dataset { report } } }", { id });
    const identities = report.clone.dataset.report.owner.identities;
    assert.equal(identities.length, 2);
    assert.deepEqual(
      identities.map((i: { messages: number }) => i.messages),
      [36, 16],
    );
  });

  it("builds the same dataset when the upload's stored summary is gone (inspection and build in one read)", async () => {
    const { createClone } = await api.data(
      'mutation { createClone(input: {name: "Аня без сводки"}) { id } }',
    );
    const id = createClone.id;
    await api.upload(UPLOAD, { id }, "file", { name: "result.json", content: telegramExport() });
    await until("SourceInspected", async () => (await clone(id)).sources[0].inspection ?? undefined);
    const { artifacts } = harness.platform.adapters;
    const text = async (key: string) =>
      new Response((await artifacts.get(key)) as unknown as ReadableStream).text();
    const buildOnce = async (version: number) => {
      await api.data(BUILD, { input: { cloneId: id, owner: "Аня", valFraction: 0.2 } });
      const built = await until(`DatasetBuilt v${version}`, async () => {
        const c = await clone(id);
        return c.status === "DATASET_READY" && c.dataset.version === version ? c : undefined;
      });
      const prefix = `clones/${id}/datasets/${built.datasetRequest.id}`;
      return {
        stats: built.dataset.stats,
        train: await text(`${prefix}/train.jsonl`),
        val: await text(`${prefix}/val.jsonl`),
      };
    };
    const withSummary = await buildOnce(1);
    assert.equal(await artifacts.deletePrefix(`clones/${id}/inspections/`), 1);
    const without = await buildOnce(2);
    assert.deepEqual(without.stats, withSummary.stats);
    assert.equal(without.train, withSummary.train);
    assert.equal(without.val, withSummary.val);
    assert.ok(withSummary.train.length > 0);
  });

  it("reports an export it cannot read in the inspection instead of failing", async () => {
    const { createClone } = await api.data('mutation { createClone(input: {name: "битый"}) { id } }');
    const id = createClone.id;
    await api.upload(UPLOAD, { id }, "file", {
      name: "result.json",
      content: '{"name": "x", "type": "personal_chat", "messages": [{"id": 1, ',
    });
    const inspection = await until(
      "SourceInspected",
      async () => (await clone(id)).sources[0].inspection ?? undefined,
    );
    assert.match(inspection.error ?? "", /result\.json/);
  });
});
