import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import Database from "better-sqlite3";
import { DuplicateEventIdError } from "./duplicateEventIdError.js";
import { type NewEvent, WrongExpectedRevisionError } from "./eventStore.js";
import { SqliteEventStore } from "./sqliteEventStore.js";
import { delay, withDeadline } from "./test/deadline.js";
import { type ContractFixture, eventStoreContract } from "./test/eventStoreContract.js";
import { SubscriptionProbe } from "./test/subscriptionProbe.js";

/** Short, so tests that rely on another instance's polling finish quickly; production uses the default. */
const POLL_INTERVAL_MS = 20;
const DELIVERY_TIMEOUT_MS = 5_000;

async function openTempStore(): Promise<ContractFixture & { file: string }> {
  const dir = await mkdtemp(join(tmpdir(), "sqlite-event-store-"));
  const file = join(dir, "events.sqlite");
  const store = await SqliteEventStore.open(file, { pollIntervalMs: POLL_INTERVAL_MS });
  return {
    store,
    file,
    reopen: () => SqliteEventStore.open(file, { pollIntervalMs: POLL_INTERVAL_MS }),
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

eventStoreContract("SqliteEventStore", openTempStore);

describe("SqliteEventStore specifics", () => {
  let fixture: ContractFixture & { file: string };
  let store: SqliteEventStore;
  let others: SqliteEventStore[];

  /** Another instance on the same file: the same as another process, since it shares no memory with the first. */
  const openSibling = async (): Promise<SqliteEventStore> => {
    const sibling = await SqliteEventStore.open(fixture.file, { pollIntervalMs: POLL_INTERVAL_MS });
    others.push(sibling);
    return sibling;
  };

  beforeEach(async () => {
    fixture = await openTempStore();
    store = fixture.store as SqliteEventStore;
    others = [];
  });

  afterEach(async () => {
    for (const other of others) await other.close();
    await fixture.cleanup();
  });

  it("keeps its file in WAL mode", async () => {
    await store.append(newStreamId(), [newEvent()], "no_stream");
    // Read with an independent connection: WAL is a property of the file, which other processes rely on.
    const db = new Database(fixture.file, { readonly: true });
    try {
      assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
    } finally {
      db.close();
    }
  });

  it("lets a second instance on the same file see appends through polling, both ways", async () => {
    const sibling = await openSibling();
    const [a, b] = [newStreamId(), newStreamId()];
    const siblingProbe = new SubscriptionProbe(sibling, undefined, (event) => event.streamId === a);
    const storeProbe = new SubscriptionProbe(store, undefined, (event) => event.streamId === b);
    try {
      await store.append(a, [newEvent(), newEvent()], "no_stream");
      const seenBySibling = await siblingProbe.waitFor(2, DELIVERY_TIMEOUT_MS);
      assert.deepEqual(
        seenBySibling.map((event) => event.revision),
        [0, 1],
      );
      await sibling.append(b, [newEvent()], "no_stream");
      const [seenByStore] = await storeProbe.waitFor(1, DELIVERY_TIMEOUT_MS);
      assert.equal(seenByStore?.streamId, b);
    } finally {
      await siblingProbe.stop();
      await storeProbe.stop();
    }
  });

  it("checks the expected revision against what another instance committed", async () => {
    const sibling = await openSibling();
    const stream = newStreamId();
    await store.append(stream, [newEvent()], "no_stream");
    await sibling.append(stream, [newEvent()], 0);
    await assert.rejects(store.append(stream, [newEvent()], 0), (error: unknown) => {
      assert.ok(error instanceof WrongExpectedRevisionError);
      assert.equal(error.actual, 1);
      return true;
    });
  });

  it("keeps events, positions and revisions across close and reopen", async () => {
    const [a, b] = [newStreamId(), newStreamId()];
    await store.append(a, [newEvent(), newEvent()], "no_stream");
    const lastBeforeClose = await store.append(b, [newEvent()], "no_stream");
    const before = [...(await collect(store.readStream(a))), ...(await collect(store.readStream(b)))];
    await store.close();

    const reopened = await openSibling();
    assert.deepEqual(
      [...(await collect(reopened.readStream(a))), ...(await collect(reopened.readStream(b)))],
      before,
    );
    assert.equal(await reopened.headPosition(), lastBeforeClose.position);
    const next = await reopened.append(a, [newEvent()], 1);
    assert.equal(next.nextRevision, 2);
    assert.ok(
      Number(next.position) > Number(lastBeforeClose.position),
      "positions keep increasing after reopen",
    );
  });

  it("rejects an event id that is already stored, naming it, and writes nothing", async () => {
    const stored = newEvent();
    await store.append(newStreamId(), [stored], "no_stream");
    const head = await store.headPosition();
    const target = newStreamId();
    await assert.rejects(store.append(target, [newEvent(), { ...stored }], "any"), (error: unknown) => {
      assert.ok(error instanceof DuplicateEventIdError, `got ${String(error)}`);
      assert.equal(error.streamId, target);
      assert.deepEqual(error.eventIds, [stored.id]);
      return true;
    });
    assert.deepEqual(await collect(store.readStream(target)), []);
    assert.equal(await store.headPosition(), head);
  });

  it("rejects an event id repeated within one append and writes nothing", async () => {
    const stream = newStreamId();
    const event = newEvent();
    await assert.rejects(store.append(stream, [event, { ...event }], "no_stream"), (error: unknown) => {
      assert.ok(error instanceof DuplicateEventIdError, `got ${String(error)}`);
      assert.deepEqual(error.eventIds, [event.id]);
      return true;
    });
    assert.deepEqual(await collect(store.readStream(stream)), []);
  });

  it("fails only the stale append of a group; the group's other appends commit", async () => {
    const [contested, other] = [newStreamId(), newStreamId()];
    await store.append(contested, [newEvent()], "no_stream");
    const commitsBefore = await store.headPosition();
    // Queued in one turn of the event loop: one group, one transaction.
    const outcomes = await Promise.allSettled([
      store.append(contested, [newEvent()], 0),
      store.append(contested, [newEvent()], 0), // stale: the first of the group moved the stream to 1
      store.append(other, [newEvent(), newEvent()], "no_stream"),
      store.append(contested, [newEvent()], 1), // sees the first append of its own group
    ]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ["fulfilled", "rejected", "fulfilled", "fulfilled"],
    );
    const stale = (outcomes[1] as PromiseRejectedResult).reason;
    assert.ok(stale instanceof WrongExpectedRevisionError, `got ${String(stale)}`);
    assert.equal(stale.actual, 1);
    assert.deepEqual(
      (await collect(store.readStream(contested))).map((e) => e.revision),
      [0, 1, 2],
    );
    assert.equal((await collect(store.readStream(other))).length, 2);
    const positions = (
      await collect(store.subscribeToAll({ after: String(commitsBefore), signal: AbortSignal.timeout(500) }))
    ).map((e) => Number(e.position));
    assert.deepEqual(
      positions,
      [...positions].sort((x, y) => x - y),
      "positions follow the queue's order",
    );
  });

  it("fails only the append with a duplicate id in a group, explaining it like a lone append", async () => {
    const first = newEvent();
    const [a, b] = [newStreamId(), newStreamId()];
    const outcomes = await Promise.allSettled([
      store.append(a, [first], "no_stream"),
      store.append(b, [newEvent(), { ...first }], "no_stream"),
      store.append(b, [newEvent()], "no_stream"),
    ]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ["fulfilled", "rejected", "fulfilled"],
    );
    const duplicate = (outcomes[1] as PromiseRejectedResult).reason;
    assert.ok(duplicate instanceof DuplicateEventIdError, `got ${String(duplicate)}`);
    assert.deepEqual(duplicate.eventIds, [first.id]);
    assert.equal((await collect(store.readStream(b))).length, 1);
  });

  it("commits the appends accepted before close", async () => {
    const stream = newStreamId();
    const pending = store.append(stream, [newEvent()], "no_stream");
    await store.close();
    assert.equal((await pending).nextRevision, 0);
    const reopened = await openSibling();
    assert.equal((await collect(reopened.readStream(stream))).length, 1);
  });

  it("refuses a checkpoint that is not one of its positions", () => {
    assert.throws(() => store.subscribeToAll({ after: "12/34" }), /not a SQLite event store position/);
  });

  it("ends live subscriptions and refuses appends once closed", async () => {
    const ended = (async () => {
      for await (const _ of store.subscribeToAll()) {
        // Nothing stored: the loop idles until close wakes it.
      }
    })();
    await delay(2 * POLL_INTERVAL_MS);
    await store.close();
    await withDeadline(ended, DELIVERY_TIMEOUT_MS, "subscription did not end when the store closed");
    await assert.rejects(store.append(newStreamId(), [newEvent()], "any"), /closed/);
  });
});

function newStreamId(): string {
  return `test-${randomUUID()}`;
}

function newEvent(): NewEvent {
  return {
    id: randomUUID(),
    type: "SqliteTested",
    data: { at: Date.now() },
    metadata: { principal: "test:sqlite", timestamp: new Date().toISOString() },
  };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
