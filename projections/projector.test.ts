import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  type CloneCommand,
  cloneDecider,
  cloneStreamId,
  newId,
  parseCloneEvent,
  principalOf,
} from "../domain/index.js";
import type { Collection, Document, DocumentStore } from "../infra/docstore/documentStore.js";
import { SqliteDocumentStore } from "../infra/docstore/sqliteDocumentStore.js";
import { CommandHandler } from "../infra/eventsourcing/commandHandler.js";
import type { RecordedEvent } from "../infra/eventstore/eventStore.js";
import { SqliteEventStore } from "../infra/eventstore/sqliteEventStore.js";
import { Projector } from "./projector.js";
import { ReadModels } from "./readModels.js";

/** Counts each collection's calls by method, so a test can see the round trips a page costs. */
function counting(inner: DocumentStore, calls: Map<string, number>): DocumentStore {
  return {
    collection<T extends Document>(name: string): Collection<T> {
      const collection = inner.collection<T>(name);
      return new Proxy(collection, {
        get(target, method: string) {
          const value = Reflect.get(target, method) as unknown;
          if (typeof value !== "function") return value;
          return (...args: unknown[]) => {
            const key = `${name}.${method}`;
            calls.set(key, (calls.get(key) ?? 0) + 1);
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
    },
    dropCollections: (prefix) => inner.dropCollections(prefix),
    flushDeletions: () => inner.flushDeletions(),
    close: () => inner.close(),
  };
}

describe("projector pages", () => {
  let dir: string;
  let log: RecordedEvent[];
  const clones = [newId(), newId(), newId()];
  const open = async (name: string, calls = new Map<string, number>()) => {
    const raw = await SqliteDocumentStore.open(join(dir, `${name}.sqlite`));
    return { raw, models: new ReadModels(counting(raw, calls)), calls };
  };
  const snapshot = async (models: ReadModels) => ({
    clones: await models.clones.find({}, { sort: { field: "_id", direction: "asc" } }),
    positions: await models.streamPositions.find({}, { sort: { field: "_id", direction: "asc" } }),
  });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "aiclone-projector-"));
    const store = await SqliteEventStore.open(join(dir, "events.sqlite"));
    const commands = new CommandHandler(store);
    const owner = { kind: "owner", ownerId: newId() } as const;
    const run = (command: CloneCommand) =>
      commands.handle(cloneStreamId(command.cloneId), cloneDecider, parseCloneEvent, command, {
        principal: principalOf(owner),
      });
    for (const cloneId of clones) await run({ type: "CreateClone", cloneId, actor: owner, name: "клон" });
    // Interleaved across clones, as the log holds them under concurrent writers.
    for (let i = 0; i < 10; i++)
      for (const cloneId of clones)
        await run({
          type: "ConfigurePersona",
          cloneId,
          actor: owner,
          displayName: "Маша",
          systemPrompt: `версия ${i}`,
          language: "ru",
        });
    await run({ type: "DeleteClone", cloneId: clones[2]!, actor: owner });
    log = [];
    const head = await store.headPosition();
    const abort = new AbortController();
    for await (const event of store.subscribeToAll({ signal: abort.signal })) {
      log.push(event);
      if (event.position === head) break;
    }
    abort.abort();
    await store.close();
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("builds the same read models a page at a time as one event at a time", async () => {
    const single = await open("single");
    const one = new Projector(single.models);
    for (const event of log) assert.equal(await one.apply(event), true);
    const paged = await open("paged");
    const projector = new Projector(paged.models);
    for (let start = 0; start < log.length; start += 7)
      assert.equal(
        (await projector.applyPage(log.slice(start, start + 7))).length,
        Math.min(7, log.length - start),
      );
    const expected = await snapshot(single.models);
    assert.equal(expected.clones.length, 3);
    assert.equal(expected.clones.filter((c) => c.deleted).length, 1);
    assert.deepEqual(await snapshot(paged.models), expected);
    // A redelivered page changes nothing and announces nothing.
    assert.deepEqual(await projector.applyPage(log), []);
    assert.deepEqual(await snapshot(paged.models), expected);
    await single.raw.close();
    await paged.raw.close();
  });

  it("reads and writes each view and position once per page", async () => {
    const { raw, models, calls } = await open("counted");
    const projector = new Projector(models);
    const live = log.filter((e) => e.type !== "CloneDeleted");
    const applied: string[] = [];
    projector.applied.on(cloneStreamId(clones[0]!), (revision: number) => applied.push(String(revision)));
    assert.equal((await projector.applyPage(live)).length, live.length);
    assert.equal(live.length, 33);
    for (const collection of ["rm_clones", "rm_stream_positions"]) {
      assert.equal(calls.get(`${collection}.getMany`), 1, `${collection}: reads`);
      assert.equal(calls.get(`${collection}.upsertGuardedMany`), 1, `${collection}: writes`);
      assert.equal(calls.get(`${collection}.get`), undefined, `${collection}: single reads`);
      assert.equal(calls.get(`${collection}.upsertGuarded`), undefined, `${collection}: single writes`);
    }
    assert.deepEqual(
      applied,
      Array.from({ length: 11 }, (_, i) => String(i)),
    );
    await raw.close();
  });

  it("records an event whose view was written before a crash lost its position, without applying it again", async () => {
    const { raw, models } = await open("ahead");
    const projector = new Projector(models);
    await projector.applyPage(log);
    const before = await snapshot(models);
    // The crash: views written, positions not.
    await models.streamPositions.deleteMany({});
    assert.equal((await projector.applyPage(log)).length, log.length);
    assert.deepEqual(await snapshot(models), before);
    await raw.close();
  });
});
