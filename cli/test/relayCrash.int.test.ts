import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { waitFor } from "@aiclone/testing/until";
import Database from "better-sqlite3";
import { type Admin, Kafka, logLevel } from "kafkajs";
import { cloneDecider, newId, parseCloneEvent } from "../../domain/index.js";
import { MasterKey } from "../../infra/crypto/masterKey.js";
import type { DocumentStore } from "../../infra/docstore/documentStore.js";
import { MongoDocumentStore } from "../../infra/docstore/mongoDocumentStore.js";
import { CommandHandler } from "../../infra/eventsourcing/commandHandler.js";
import { SqliteEventStore } from "../../infra/eventstore/sqliteEventStore.js";
import type { CheckpointDoc } from "../../infra/relay/eventRelay.js";
import { ReadModels } from "../../projections/readModels.js";
import { GraphQLTestClient } from "../../testing/platform/graphqlClient.js";
import { PlatformProcess } from "../../testing/platform/platformProcess.js";
import { loadPlatformConfig } from "../config/loadConfig.js";
import { openDataProtection } from "../platform/dataProtection.js";
import { createLogger } from "../platform/logger.js";

const bin = fileURLToPath(new URL("../../../bin/aiclone", import.meta.url));
const { KAFKA_BROKERS, MONGODB_URL } = process.env;
const missing = Object.entries({ KAFKA_BROKERS, MONGODB_URL })
  .filter(([, value]) => !value)
  .map(([name]) => name);
const skip = missing.length
  ? `relay crash test needs ${missing.join(", ")} (npm run services:up starts Kafka and FerretDB)`
  : false;
if (skip) console.log(`skipped: ${skip}`);

/** Clones written while the relay is down, and persona changes each: the backlog is CLONES × (1 + EDITS) events. */
const CLONES = 100;
const EDITS = 11;

/**
 * The relay runs in its own process (role `relay`), the API and projections in another, on Kafka and
 * MongoDB (FerretDB) with the shared SQLite log. The relay is killed (SIGKILL) in the middle of a backlog of
 * thousands of events, after it handed events to Kafka and before its checkpoint covered them, and started
 * again: the events after the checkpoint go out twice, and the projections still apply each exactly once.
 */
describe("the relay killed (SIGKILL) in the middle of a backlog, on Kafka and MongoDB", { skip }, () => {
  let dir: string;
  let configFile: string;
  let topicPrefix: string;
  let documents: MongoDocumentStore;
  /** The same store, with the clones' views opened as the platform opens them. */
  let views: DocumentStore;
  let admin: Admin;
  const processes: PlatformProcess[] = [];
  const spawn = (roles: string) => {
    const process = PlatformProcess.spawn(["--config", configFile], { AICLONE_ROLES: roles });
    processes.push(process);
    return process;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "aiclone-relay-crash-"));
    const run = randomBytes(4).toString("hex");
    topicPrefix = `relaycrash-${run}.`;
    const database = `aiclone_relaycrash_${run}`;
    configFile = join(dir, "platform.json");
    await writeFile(
      configFile,
      JSON.stringify({
        dataDir: join(dir, "data"),
        api: { port: 0 },
        bus: { kind: "kafka", brokers: KAFKA_BROKERS, topicPrefix, partitions: 3 },
        documentStore: { kind: "mongodb", url: MONGODB_URL, database },
        // The test reads the clones' views, sealed under their keys, with the platform's master key.
        security: { masterKey: MasterKey.generate().base64 },
      }),
    );
    documents = await MongoDocumentStore.connect(MONGODB_URL!, { database });
    const protection = await openDataProtection(
      await loadPlatformConfig({ file: configFile, env: {} }),
      documents,
      createLogger("silent"),
    );
    views = protection.protectDocuments(documents);
    admin = new Kafka({ brokers: KAFKA_BROKERS!.split(","), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });

  after(async () => {
    await Promise.all(processes.map((p) => p.stop("SIGKILL")));
    await documents?.close();
    await admin?.disconnect();
    await rm(dir, { recursive: true, force: true });
  });

  it("after the restart every event is projected exactly once and the read models equal a rebuild", async () => {
    let relay = spawn("relay");
    await relay.waitFor(/Worker running: relay/);
    const apiProcess = spawn("api,projections");
    const url = await apiProcess.graphqlUrl();
    const api = new GraphQLTestClient(url, (await apiProcess.waitFor(/API key: (\S+)/))[1]!);
    const { createClone } = await api.data('mutation { createClone(input: {name: "Аня"}) { id } }');
    const models = new ReadModels(views);
    const ownerId = (await models.clones.get(createClone.id))!.ownerId;
    assert.equal(await relay.stop("SIGTERM"), 0, relay.stderr);

    // The backlog: what API processes append to the shared log while the relay is down.
    const logFile = join(dir, "data", "events.sqlite");
    const store = await SqliteEventStore.open(logFile);
    const commands = new CommandHandler(store);
    const actor = { kind: "owner" as const, ownerId };
    const context = { principal: `owner:${ownerId}` };
    const ids = Array.from({ length: CLONES }, () => newId());
    await Promise.all(
      ids.map(async (cloneId, i) => {
        const streamId = `clone-${cloneId}`;
        const handle = (command: object) =>
          commands.handle(
            streamId,
            cloneDecider,
            parseCloneEvent,
            { cloneId, actor, ...command } as never,
            context,
          );
        await handle({ type: "CreateClone", name: `Клон ${i}` });
        for (let edit = 0; edit < EDITS; edit++)
          await handle({
            type: "ConfigurePersona",
            displayName: `Клон ${i}`,
            systemPrompt: `версия ${edit}`,
            language: "ru",
          });
      }),
    );
    await store.close();

    const log = new Database(logFile, { readonly: true });
    const routedUpTo = (position: number) =>
      (
        log
          .prepare("SELECT count(*) AS n FROM events WHERE position <= ? AND instr(stream_id, '-') > 1")
          .get(position) as { n: number }
      ).n;
    const head = (log.prepare("SELECT max(position) AS p FROM events").get() as { p: number }).p;
    const checkpoints = documents.collection<CheckpointDoc>("relay_checkpoints");
    const checkpoint = async () => Number((await checkpoints.get("relay"))?.position ?? 0);
    const messagesOnTheBus = async () => {
      let total = 0;
      for (const topic of (await admin.listTopics()).filter((t) => t.startsWith(topicPrefix)))
        for (const partition of await admin.fetchTopicOffsets(topic)) total += Number(partition.high);
      return total;
    };
    const backlogStart = await checkpoint();
    assert.ok(head - backlogStart >= CLONES * (1 + EDITS), `a backlog of ${head - backlogStart} events`);

    // Killed as soon as its checkpoint moves: mid-backlog. It landed between the bus and the checkpoint when
    // the bus holds more messages than the checkpoint accounts for; otherwise it is killed again, further on.
    let landed: { checkpoint: number; onTheBus: number } | undefined;
    for (let attempt = 1; !landed; attempt++) {
      assert.ok(attempt <= 6, "no kill landed between publishing and saving the checkpoint");
      const from = await checkpoint();
      assert.ok(from < head, `the backlog was drained before a kill landed (attempt ${attempt})`);
      relay = spawn("relay");
      // Polled tightly (every 2 ms, not until's 100 ms): the relay drains thousands of events in well under a
      // second.
      await waitFor(
        async () => (await checkpoint()) > from,
        () => `the relay to move its checkpoint:\n${relay.stderr}`,
        { timeoutMs: 30_000, intervalMs: 2 },
      );
      assert.equal(await relay.stop("SIGKILL"), "SIGKILL");
      const at = await checkpoint();
      const onTheBus = await messagesOnTheBus();
      if (onTheBus > routedUpTo(at)) landed = { checkpoint: at, onTheBus };
    }
    console.log(
      `killed at checkpoint ${landed.checkpoint} of ${head}, ${landed.onTheBus} messages on the bus`,
    );
    assert.ok(landed.checkpoint < head, "killed in the middle of the backlog");

    relay = spawn("relay");
    await relay.waitFor(/Worker running: relay/);
    const delivered = await messagesOnTheBus();
    assert.ok(delivered > routedUpTo(head), "events after the checkpoint went to the bus twice");

    // Every stream's read model reaches the stream's revision: nothing lost.
    const streams = log
      // The streams the projections keep (platform-init, a start-up marker, has no read model).
      .prepare(
        "SELECT stream_id AS streamId, max(revision) AS revision FROM events WHERE stream_id LIKE 'clone-%' OR stream_id LIKE 'owner-%' GROUP BY stream_id",
      )
      .all() as { streamId: string; revision: number }[];
    log.close();
    const behind = async () => {
      const lagging: string[] = [];
      for (const { streamId, revision } of streams) {
        const projected = (await models.streamPositions.get(streamId))?._rev ?? -1;
        if (projected < revision) lagging.push(`${streamId} at ${projected} of ${revision}`);
      }
      return lagging;
    };
    const caughtUp = Date.now() + 90_000;
    for (let lagging = await behind(); lagging.length > 0; lagging = await behind()) {
      assert.ok(
        Date.now() < caughtUp,
        `${lagging.length} stream(s) not projected to their revision: ${lagging.slice(0, 5).join(", ")}`,
      );
      await new Promise((r) => setTimeout(r, 500));
    }
    console.log(`projections caught up ${Date.now() - caughtUp + 90_000} ms after the restart was caught up`);
    const clones = await models.clones.find({}, { sort: { field: "_id", direction: "asc" } });
    assert.equal(clones.length, CLONES + 1, "every clone was projected");
    for (const id of ids) {
      const view = clones.find((c) => c._id === id);
      assert.equal(view?._rev, EDITS, `${id}: read-model revision equals the stream's`);
      assert.equal(view?.persona?.systemPrompt, `версия ${EDITS - 1}`, `${id}: the last edit won`);
    }

    // Applied exactly once: the live read models equal the ones rebuilt from the log, event by event.
    const snapshot = async () => ({
      clones: await models.clones.find({}, { sort: { field: "_id", direction: "asc" } }),
      positions: await models.streamPositions.find({}, { sort: { field: "_id", direction: "asc" } }),
    });
    const live = await snapshot();
    assert.equal(await apiProcess.stop("SIGTERM"), 0, apiProcess.stderr);
    assert.equal(await relay.stop("SIGTERM"), 0, relay.stderr);
    const rebuild = spawnSync(process.execPath, [bin, "projections", "rebuild", "--config", configFile], {
      env: { ...process.env, AICLONE_LOG__LEVEL: "warn" },
      encoding: "utf8",
    });
    assert.equal(rebuild.status, 0, rebuild.stderr);
    assert.deepEqual(await snapshot(), live, "the live read models equal a rebuild from the log");
  });
});
