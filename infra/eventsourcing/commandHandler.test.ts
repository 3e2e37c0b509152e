import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { until } from "@aiclone/testing/until";
import type { EventStore, ReadStreamOptions, RecordedEvent } from "../eventstore/eventStore.js";
import { SqliteEventStore } from "../eventstore/sqliteEventStore.js";
import { CommandHandler, type StreamDecider } from "./commandHandler.js";

type Command = { by: number };
type Event = { type: "Added"; data: { by: number } };
/** State is the list of additions, so a wrong or repeated fold shows in the assertions. */
const adder: StreamDecider<Command, Event, readonly number[]> = {
  initialState: [],
  evolve: (seen, event) => [...seen, event.data.by],
  decide: (command) => (command.by === 0 ? [] : [{ type: "Added", data: { by: command.by } }]),
};
const parse = (type: string, data: unknown) => ({ type, data }) as Event;
const context = { principal: "system:test" };
const metadata = { principal: "system:test", timestamp: "2026-12-07T00:00:00.000Z" };

/** Records every readStream call's options, so a test sees what the handler asked the store for. */
function spying(store: EventStore): { store: EventStore; reads: Array<ReadStreamOptions | undefined> } {
  const reads: Array<ReadStreamOptions | undefined> = [];
  const proxy = Object.create(store) as EventStore;
  proxy.readStream = (streamId, options) => {
    reads.push(options);
    return store.readStream(streamId, options);
  };
  proxy.append = (streamId, events, expected) => store.append(streamId, events, expected);
  return { store: proxy, reads };
}

/** The adder, remembering the state of its last decision. */
function recording(): {
  decider: StreamDecider<Command, Event, readonly number[]>;
  last: () => readonly number[];
} {
  let seen: readonly number[] = [];
  return {
    decider: {
      ...adder,
      decide: (c, state) => {
        seen = state;
        return adder.decide(c, state);
      },
    },
    last: () => seen,
  };
}

async function events(store: EventStore, streamId: string): Promise<number[]> {
  const out: number[] = [];
  for await (const e of store.readStream(streamId)) out.push((e as RecordedEvent & Event).data.by);
  return out;
}

describe("CommandHandler's state cache", () => {
  let dir: string;
  let store: SqliteEventStore;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "command-handler-"));
    store = await SqliteEventStore.open(join(dir, "events.db"));
  });
  after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a stream whole once, then only what came after the state it keeps", async () => {
    const spy = spying(store);
    const handler = new CommandHandler(spy.store);
    const { decider, last } = recording();
    for (const by of [1, 2, 3]) await handler.handle("s-cache", decider, parse, { by }, context);
    assert.deepEqual(
      spy.reads.map((o) => o?.fromRevision ?? 0),
      [0, 1, 2],
    );
    assert.deepEqual(last(), [1, 2]);
    assert.deepEqual(await events(store, "s-cache"), [1, 2, 3]);
  });

  it("folds in what another writer appended since (another process, the same store)", async () => {
    const handler = new CommandHandler(store);
    const { decider, last } = recording();
    await handler.handle("s-other", decider, parse, { by: 1 }, context);
    const other = new CommandHandler(store);
    await other.handle("s-other", adder, parse, { by: 10 }, context);
    await store.append("s-other", [{ id: randomUUID(), type: "Added", data: { by: 100 }, metadata }], 1);
    const outcome = await handler.handle("s-other", decider, parse, { by: 2 }, context);
    assert.deepEqual(last(), [1, 10, 100]);
    assert.equal(outcome.revision, 3);
    assert.deepEqual(await events(store, "s-other"), [1, 10, 100, 2]);
  });

  it("decides again on the fresh state when a write lands between its read and its append", async () => {
    const handler = new CommandHandler(store);
    await handler.handle("s-race", adder, parse, { by: 1 }, context);
    let raced = false;
    const decisions: Array<readonly number[]> = [];
    const racing: StreamDecider<Command, Event, readonly number[]> = {
      ...adder,
      decide: (c, seen) => {
        decisions.push(seen);
        if (!raced) {
          raced = true;
          // Appended after the handler read the stream: its own append must fail and retry.
          void store.append("s-race", [{ id: randomUUID(), type: "Added", data: { by: 7 }, metadata }], 0);
        }
        return adder.decide(c, seen);
      },
    };
    await handler.handle("s-race", racing, parse, { by: 2 }, context);
    assert.deepEqual(decisions, [[1], [1, 7]]);
    assert.deepEqual(await events(store, "s-race"), [1, 7, 2]);
  });

  it("keeps one state per decider: another decider on the same stream folds from the start", async () => {
    const spy = spying(store);
    const handler = new CommandHandler(spy.store);
    await handler.handle("s-two", adder, parse, { by: 1 }, context);
    const doubling: StreamDecider<Command, Event, number> = {
      initialState: 0,
      evolve: (total, e) => total + 2 * e.data.by,
      decide: (c) => [{ type: "Added", data: { by: c.by } }],
    };
    await handler.handle("s-two", doubling, parse, { by: 5 }, context);
    assert.deepEqual(
      spy.reads.map((o) => o?.fromRevision ?? 0),
      [0, 0],
    );
  });

  it("forgets a stream on request (its data erased) and folds it from the store again", async () => {
    const spy = spying(store);
    const handler = new CommandHandler(spy.store);
    await handler.handle("s-forget", adder, parse, { by: 1 }, context);
    handler.forget("s-forget");
    await handler.handle("s-forget", adder, parse, { by: 2 }, context);
    assert.deepEqual(
      spy.reads.map((o) => o?.fromRevision ?? 0),
      [0, 0],
    );
  });

  it("keeps at most its bound of streams, dropping the least recently used", async () => {
    const spy = spying(store);
    const handler = new CommandHandler(spy.store, { cachedStreams: 2 });
    for (const s of ["s-lru-a", "s-lru-b", "s-lru-a", "s-lru-c", "s-lru-a", "s-lru-b"])
      await handler.handle(s, adder, parse, { by: 1 }, context);
    // a, b read whole; a from 1; c whole (b dropped: a was used after it); a from 2; b whole again.
    assert.deepEqual(
      spy.reads.map((o) => o?.fromRevision ?? 0),
      [0, 0, 1, 0, 2, 0],
    );
  });

  it("drops a state left unused for idleMs: the next command folds the stream from the store", async () => {
    const spy = spying(store);
    let now = 0;
    const handler = new CommandHandler(spy.store, { idleMs: 1_000, clock: () => now });
    await handler.handle("s-idle", adder, parse, { by: 1 }, context);
    now = 999;
    await handler.handle("s-idle", adder, parse, { by: 2 }, context);
    now = 999 + 1_000;
    await handler.handle("s-idle", adder, parse, { by: 3 }, context);
    // Whole; from 1 (used 999 ms later: kept); whole again (unused for 1,000 ms: dropped).
    assert.deepEqual(
      spy.reads.map((o) => o?.fromRevision ?? 0),
      [0, 1, 0],
    );
    assert.deepEqual(await events(store, "s-idle"), [1, 2, 3]);
  });

  it("drops idle states without waiting for a command", async () => {
    const handler = new CommandHandler(store, { idleMs: 30 });
    await handler.handle("s-sweep-a", adder, parse, { by: 1 }, context);
    await handler.handle("s-sweep-b", adder, parse, { by: 1 }, context);
    assert.equal(handler.keptStreams, 2);
    await until(
      "the idle states are dropped",
      async () => (handler.keptStreams === 0 ? true : undefined),
      2_000,
    );
  });

  it("refuses an idle time that is not positive", () => {
    assert.throws(() => new CommandHandler(store, { idleMs: 0 }), RangeError);
  });

  it("keeps the state it read when the decider has nothing to do", async () => {
    const spy = spying(store);
    const handler = new CommandHandler(spy.store);
    await handler.handle("s-noop", adder, parse, { by: 1 }, context);
    const outcome = await handler.handle("s-noop", adder, parse, { by: 0 }, context);
    await handler.handle("s-noop", adder, parse, { by: 3 }, context);
    assert.equal(outcome.revision, 0);
    assert.deepEqual(
      spy.reads.map((o) => o?.fromRevision ?? 0),
      [0, 1, 1],
    );
    assert.deepEqual(await events(store, "s-noop"), [1, 3]);
  });
});
