import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { after, before, describe, it } from "node:test";
import { until } from "@aiclone/testing/until";
import Database from "better-sqlite3";
import { SqliteEventStore } from "../../infra/eventstore/sqliteEventStore.js";
import { ReadModels } from "../../projections/readModels.js";
import { rebuildReadModels } from "../../projections/rebuild.js";
import { GraphQLTestClient } from "../../testing/platform/graphqlClient.js";
import { PlatformHarness } from "../../testing/platform/platformHarness.js";
import { useTestBaseModels } from "../../testing/platform/testBaseModels.js";
import { closeAdapters, openAdapters } from "../platform/adapters.js";
import { createLogger } from "../platform/logger.js";
import { telegramExport } from "./telegramExportFixture.js";
import { apiOf, finishedJob, requestTraining, standInTrainerEnv } from "./trainingScenario.js";

// The random-weight test model is not in the production catalogue: this test registers it.
useTestBaseModels();

/** Words that appear only in this clone's data: its name, persona, export file name, people and messages. */
const MARKERS = ["Шредер", "шредер", "Крипто", "Кощей"];
const exported = telegramExport()
  .replaceAll("Аня", "Зинаида Шредер")
  .replaceAll("Петя", "Евлампий Крипто")
  .replaceAll("работаю", "работаю над проектом Кощей");

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Files of the data folder whose raw bytes contain a marker (or the clone id, when given). */
async function filesHolding(
  root: string,
  needles: string[],
  skip: (file: string) => boolean,
): Promise<string[]> {
  const found: string[] = [];
  for (const file of await filesUnder(root)) {
    if (skip(file)) continue;
    const bytes = await readFile(file);
    for (const needle of needles)
      if (bytes.includes(Buffer.from(needle))) found.push(`${relative(root, file)}: ${needle}`);
  }
  return found;
}

/** Every document of every collection of the SQLite document store, as text. */
function readModelRows(file: string): { table: string; text: string }[] {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
      name: string;
    }[];
    return tables.flatMap(({ name }) =>
      (db.prepare(`SELECT * FROM "${name}"`).all() as object[]).map((row) => ({
        table: name,
        text: JSON.stringify(row),
      })),
    );
  } finally {
    db.close();
  }
}

/**
 * Issue 9, data protection: a clone's personal data is encrypted at rest under its own key (raw export,
 * dataset, training outputs, the personal fields of its events), and deleteClone destroys that key: no
 * artifact, no read model and no readable event of the clone remains, while the log keeps every event.
 */
describe("encryption at rest and crypto-shredding (deleteClone)", () => {
  let harness: PlatformHarness;
  let cloneId: string;
  let otherId: string;
  let eventCount: number;
  /** The clone's wrapped data key as stored (base64), read before deleteClone. */
  let wrappedKey: string;
  /** The first start's API key (a restarted platform makes none). */
  let apiToken: string | null;

  before(async () => {
    process.env.STANDIN_STEP_MS = "10";
    harness = await PlatformHarness.start({ ...standInTrainerEnv, AICLONE_TRAINING__HEARTBEAT_MS: "100" });
    const api = apiOf(harness);
    apiToken = api.token;
    const make = async (name: string) =>
      (await api.data("mutation ($name: String!) { createClone(input: {name: $name}) { id } }", { name }))
        .createClone.id as string;
    cloneId = await make("Клон Зинаиды Шредер");
    otherId = await make("Другой клон");
    await api.data(
      `mutation ($id: ID!) { configurePersona(input: {cloneId: $id, displayName: "Зинаида Шредер",
         language: "ru", systemPrompt: "Пиши как Зинаида Шредер из Кощеева"}) { id } }`,
      { id: cloneId },
    );
    for (const id of [cloneId, otherId]) {
      const uploaded = await api.upload(
        "mutation ($id: ID!, $file: Upload!) { uploadSource(cloneId: $id, file: $file) { id } }",
        { id },
        "file",
        { name: "шредер-чат.json", content: exported },
      );
      assert.equal(uploaded.errors, undefined, JSON.stringify(uploaded.errors));
      await api.data("mutation ($input: BuildDatasetInput!) { buildDataset(input: $input) { id } }", {
        input: { cloneId: id, owner: "Зинаида Шредер", valFraction: 0.2 },
      });
    }
    for (const id of [cloneId, otherId])
      await until("both datasets", async () => {
        const { clone } = await api.data("query ($id: ID!) { clone(id: $id) { status } }", { id });
        return clone.status === "DATASET_READY" ? true : undefined;
      });
    const job = await requestTraining(api, cloneId, { maxSteps: 6, checkpointEvery: 2 });
    assert.equal((await finishedJob(api, job)).status, "COMPLETED");
    // Issue 15: the owner's corrections are their words too (the event, and the corrections read model).
    const corrected = await api.data(
      `mutation ($id: ID!) { recordCorrection(input: {cloneId: $id, adapterVersion: 1,
         context: [{role: USER, content: "Где Евлампий Крипто?"}], draft: "Не знаю.",
         ownerText: "У Кощея, передай Шредер"}) { correction { id } } }`,
      { id: cloneId },
    );
    assert.ok(corrected.recordCorrection.correction.id);
  });
  after(() => harness.destroy());

  it("keeps the clone's personal data out of the event log and the artifact store in the clear", async () => {
    const { artifacts } = harness.platform.adapters;
    const keys: string[] = [];
    for await (const info of artifacts.list(`clones/${cloneId}/`)) keys.push(info.key);
    for (const kind of ["sources", "datasets", "training"])
      assert.ok(
        keys.some((k) => k.includes(`/${kind}/`)),
        `${kind} stored: ${keys.join(", ")}`,
      );
    // Issue 16, item 5: the read models too (the personal fields of clone views are sealed).
    const leaks = await filesHolding(harness.dataDir, MARKERS, () => false);
    assert.deepEqual(leaks, [], "no file of the data folder holds the clone's words in the clear");
    // ...and the API still answers with them while the clone lives.
    const { clone } = await apiOf(harness).data(
      `query ($id: ID!) { clone(id: $id) { name persona { systemPrompt }
         sources { fileName inspection { participants { name messages } } } } }`,
      { id: cloneId },
    );
    assert.equal(clone.name, "Клон Зинаиды Шредер");
    assert.equal(clone.persona.systemPrompt, "Пиши как Зинаида Шредер из Кощеева");
    assert.equal(clone.sources[0].fileName, "шредер-чат.json");
    const { corrections } = await apiOf(harness).data(
      "query ($id: ID!) { corrections(cloneId: $id) { nodes { ownerText context { content } } } }",
      { id: cloneId },
    );
    assert.equal(corrections.nodes[0].ownerText, "У Кощея, передай Шредер");
    const people = clone.sources[0].inspection.participants as { name: string; messages: number }[];
    assert.ok(
      people.some((p) => p.name === "Евлампий Крипто" && p.messages > 0),
      JSON.stringify(people),
    );
    const keyRow = readModelRows(join(harness.dataDir, "read-models.sqlite")).find(
      (r) => r.table.endsWith("data_keys") && r.text.includes(cloneId),
    );
    wrappedKey = /\\"wrapped\\":\\"([^\\]+)\\"/.exec(keyRow?.text ?? "")?.[1] ?? "";
    assert.ok(wrappedKey.length > 20, `the clone's wrapped key is stored: ${keyRow?.text}`);
    const log = await SqliteEventStore.open(join(harness.dataDir, "events.sqlite"));
    eventCount = 0;
    for await (const _ of log.readStream(`clone-${cloneId}`)) eventCount++;
    await log.close();
  });

  it("after deleteClone nothing of the clone can be read; the log keeps its events; the other clone is intact", async () => {
    const api = apiOf(harness);
    await api.data("mutation ($id: ID!) { deleteClone(cloneId: $id) { id } }", { id: cloneId });
    const missing = await api.request("query ($id: ID!) { clone(id: $id) { id } }", { id: cloneId });
    assert.equal(missing.data?.clone ?? null, null, JSON.stringify(missing));

    // Artifacts: none under the clone, anywhere.
    const keys: string[] = [];
    for await (const info of harness.platform.adapters.artifacts.list("")) keys.push(info.key);
    assert.deepEqual(
      keys.filter((k) => k.includes(cloneId)),
      [],
    );

    // Events: every event is still in the log, and read through the platform its personal fields are erased.
    const stored: unknown[] = [];
    const log = await SqliteEventStore.open(join(harness.dataDir, "events.sqlite"));
    for await (const event of log.readStream(`clone-${cloneId}`)) stored.push(event);
    await log.close();
    assert.equal(stored.length, eventCount + 1, "append-only: the events stay, plus CloneDeleted");
    const opened: { type: string; data: Record<string, unknown> }[] = [];
    for await (const event of harness.platform.adapters.eventStore.readStream(`clone-${cloneId}`))
      opened.push(event as never);
    const created = opened.find((e) => e.type === "CloneCreated");
    assert.equal(created?.data.name, "", "the name is unreadable");
    assert.equal(opened.find((e) => e.type === "PersonaConfigured")?.data.systemPrompt, "");
    assert.deepEqual(opened.find((e) => e.type === "SourceInspected")?.data.inspection, {
      formats: [],
      messages: 0,
      chats: [],
      participants: [],
      firstMessageAt: null,
      lastMessageAt: null,
      ownerCandidate: null,
      skipped: 0,
    });
    assert.deepEqual(opened.find((e) => e.type === "TrainingCompleted")?.data.metrics, {});
    const correction = opened.find((e) => e.type === "CorrectionRecorded")?.data;
    assert.deepEqual([correction?.ownerText, correction?.draft, correction?.context], ["", "", []]);

    // Read models: no document of any collection names the clone, except its key's tombstone (no key in it).
    // What may stay: the key's tombstone, the clone's tombstone and its stream position (ids, revision,
    // status and times only: the guards that keep late redeliveries from bringing anything back).
    const guard = (r: { table: string; text: string }) =>
      (r.table.endsWith("data_keys") && r.text.includes("destroyedAt") && !r.text.includes("wrapped")) ||
      r.table.endsWith("rm_stream_positions") ||
      (r.table.endsWith("rm_clones") && r.text.includes('\\"deleted\\":true'));
    const naming = () =>
      readModelRows(join(harness.dataDir, "read-models.sqlite")).filter(
        (r) => r.text.includes(cloneId) && !guard(r),
      );
    await until(
      "the projections to forget the clone",
      async () => (naming().length === 0 ? true : undefined),
      10_000,
    ).catch(() =>
      assert.fail(
        `documents still naming the clone:\n${naming()
          .map((r) => `${r.table} ${r.text.slice(0, 300)}`)
          .join("\n")}`,
      ),
    );
    const guards = readModelRows(join(harness.dataDir, "read-models.sqlite")).filter((r) =>
      r.text.includes(cloneId),
    );
    assert.ok(
      guards.some((r) => r.table.endsWith("data_keys")),
      "the key's tombstone",
    );
    for (const r of guards) {
      assert.equal(r.text.includes("wrapped"), false, "the key is destroyed, not kept");
      assert.deepEqual(
        MARKERS.filter((m) => r.text.includes(m)),
        [],
        `${r.table}: ${r.text}`,
      );
    }
    const tombstone = await harness.platform.models.clones.get(cloneId);
    assert.deepEqual(
      {
        name: tombstone?.name,
        persona: tombstone?.persona,
        sources: tombstone?.sources,
        datasets: tombstone?.datasets,
        runs: tombstone?.trainingRuns,
      },
      { name: "", persona: null, sources: [], datasets: [], runs: [] },
    );

    // The other clone, same export, is untouched.
    const { clone: other } = await api.data(
      "query ($id: ID!) { clone(id: $id) { status sources { fileName } datasets { stats { samples } } } }",
      { id: otherId },
    );
    assert.equal(other.status, "DATASET_READY");
    assert.equal(other.sources[0].fileName, "шредер-чат.json");
  });

  it("after a clean stop no SQLite file holds the deleted clone's name, persona, people, file name or key", async () => {
    // Issue 16, item 5: deleted rows must not linger in free pages or the WAL (secure_delete, a checkpoint
    // after the deletion), and the live read models seal the personal fields, so not even the other clone
    // (same export, same file name, same people) shows them in the clear.
    const needles = ["Клон Зинаиды Шредер", "из Кощеева", "шредер-чат.json", ...MARKERS, wrappedKey];
    await harness.stop();
    const leaks = await filesHolding(
      harness.dataDir,
      needles,
      (f) => !/\.sqlite(-wal|-shm|-journal)?$/.test(f),
    );
    await harness.restart();
    assert.deepEqual(leaks, []);
  });

  it("a rebuild of the read models from the log does not bring the clone back", async () => {
    await harness.stop();
    const config = harness.config;
    const adapters = await openAdapters(config, createLogger("silent"));
    const applied = await rebuildReadModels(adapters.eventStore, new ReadModels(adapters.documents));
    assert.ok(applied >= eventCount);
    const rebuilt = await new ReadModels(adapters.documents).clones.get(cloneId);
    assert.equal(rebuilt?.deleted, true, "only the tombstone");
    assert.equal(rebuilt?.name, "");
    assert.deepEqual(rebuilt?.trainingRuns, []);
    assert.equal(await new ReadModels(adapters.documents).corrections.count({ cloneId }), 0);
    await closeAdapters(adapters);
    await harness.restart();
    const api = new GraphQLTestClient(harness.platform.graphqlUrl, apiToken);
    const { clones } = await api.data("{ clones { nodes { id name } } }");
    assert.deepEqual(
      clones.nodes.map((c: { id: string }) => c.id),
      [otherId],
    );
  });
});
