import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, it } from "node:test";
import {
  type EventMetadata,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type RecordedEvent,
  WrongExpectedRevisionError,
} from "../eventStore.js";
import { delay, withDeadline } from "./deadline.js";
import { SubscriptionProbe } from "./subscriptionProbe.js";

/** What an adapter's test file hands the contract for one test. */
export interface ContractFixture {
  store: EventStore;
  /** A new store over the same storage, as a restarted process would open it; without it the resume test skips. */
  reopen?: () => Promise<EventStore>;
  /** Closes `store` (which a test may already have closed) and removes whatever `open` created. */
  cleanup: () => Promise<void>;
}

/** Generous, because a shared EventStoreDB server on a busy CI machine is slow; a passing test never waits for it. */
const DELIVERY_TIMEOUT_MS = 15_000;
const VOLUME_TIMEOUT_MS = 180_000;
/**
 * Just under EventStoreDB's default MaxAppendSize (1 MiB, counting data and metadata together), so the payload test
 * checks encoding on every adapter instead of one server's configured limit.
 */
const LARGE_DATA_BYTES = 960_000;
const LARGE_METADATA_BYTES = 40_000;

/**
 * The behaviour every EventStore adapter must share, run against each of them. Every test writes to fresh, random
 * stream ids and reads the global log from a checkpoint taken just before its own appends (or filters it by its own
 * streams), so the suite also runs against a shared server that other tests write to at the same time.
 */
export function eventStoreContract(name: string, open: () => Promise<ContractFixture>): void {
  describe(`EventStore contract: ${name}`, () => {
    let fixture: ContractFixture;
    let store: EventStore;
    let probes: SubscriptionProbe[] = [];
    let reopened: EventStore[] = [];

    /** A background subscription that keeps only the given streams' events, stopped after the test. */
    const listen = (on: EventStore, after: string | undefined, streams: string[]): SubscriptionProbe => {
      const probe = new SubscriptionProbe(on, after, (event) => streams.includes(event.streamId));
      probes.push(probe);
      return probe;
    };

    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
      probes = [];
      reopened = [];
    });

    afterEach(async () => {
      // A test that failed half-way must not leave a live subscription that keeps the process (or server) busy.
      await Promise.allSettled(probes.map((probe) => probe.stop()));
      await Promise.allSettled(reopened.map((other) => other.close()));
      await fixture.cleanup();
    });

    describe("append and readStream", () => {
      it("numbers a stream's events 0..n in append order and reads them back", async () => {
        const stream = newStreamId();
        const first = newEvents(3);
        const second = newEvents(2, 3);
        assert.equal((await store.append(stream, first, "no_stream")).nextRevision, 2);
        assert.equal((await store.append(stream, second, 2)).nextRevision, 4);

        const read = await collect(store.readStream(stream));
        assert.deepEqual(
          read.map((event) => event.revision),
          [0, 1, 2, 3, 4],
        );
        assert.deepEqual(
          read.map((event) => event.id),
          [...first, ...second].map((event) => event.id),
        );
        for (const [index, event] of read.entries()) {
          assert.equal(event.streamId, stream);
          assert.equal(event.type, "ContractTested");
          assert.deepEqual(event.data, { n: index });
        }
      });

      it("keeps interleaved streams apart", async () => {
        const [a, b] = [newStreamId(), newStreamId()];
        await store.append(a, newEvents(2, 0), "no_stream");
        await store.append(b, newEvents(1, 100), "no_stream");
        await store.append(a, newEvents(1, 2), 1);
        await store.append(b, newEvents(2, 101), 0);

        assert.deepEqual(dataNumbers(await collect(store.readStream(a))), [0, 1, 2]);
        assert.deepEqual(dataNumbers(await collect(store.readStream(b))), [100, 101, 102]);
        assert.deepEqual(
          (await collect(store.readStream(b))).map((event) => event.revision),
          [0, 1, 2],
        );
      });

      it("orders the global log by append order across streams and reports each append's position", async () => {
        const [a, b] = [newStreamId(), newStreamId()];
        const before = await store.headPosition();
        const plan: Array<[string, number]> = [
          [a, 2],
          [b, 1],
          [a, 1],
          [b, 3],
        ];
        const written: NewEvent[] = [];
        const lastPositions: Array<{ id: string; position: string }> = [];
        for (const [stream, count] of plan) {
          const events = newEvents(count, written.length);
          const result = await store.append(stream, events, "any");
          written.push(...events);
          lastPositions.push({ id: events[events.length - 1]!.id, position: result.position });
        }

        const probe = listen(store, before, [a, b]);
        const seen = await probe.waitFor(written.length, DELIVERY_TIMEOUT_MS);
        assert.deepEqual(
          seen.map((event) => event.id),
          written.map((event) => event.id),
        );
        for (const { id, position } of lastPositions) {
          assert.equal(seen.find((event) => event.id === id)?.position, position, `position of event ${id}`);
        }
        // The same event has the same position whether it is read from its stream or from the global log.
        const fromStream = await collect(store.readStream(a));
        assert.deepEqual(
          fromStream.map((event) => event.position),
          seen.filter((event) => event.streamId === a).map((event) => event.position),
        );
      });

      it("yields nothing for a stream that does not exist", async () => {
        assert.deepEqual(await collect(store.readStream(newStreamId())), []);
        assert.deepEqual(
          await collect(store.readStream(newStreamId(), { fromRevision: 5, maxCount: 3 })),
          [],
        );
      });

      it("reads a window with fromRevision and maxCount", async () => {
        const stream = newStreamId();
        await store.append(stream, newEvents(10), "no_stream");
        const revisions = async (fromRevision?: number, maxCount?: number): Promise<number[]> =>
          (await collect(store.readStream(stream, { fromRevision, maxCount }))).map(
            (event) => event.revision,
          );

        assert.deepEqual(await revisions(3, 4), [3, 4, 5, 6]);
        assert.deepEqual(await revisions(8, 10), [8, 9]);
        assert.deepEqual(await revisions(7), [7, 8, 9]);
        assert.deepEqual(await revisions(undefined, 2), [0, 1]);
        assert.deepEqual(await revisions(10), []);
        assert.deepEqual(await revisions(0, 0), []);
      });

      it("preserves metadata: principal, timestamp, correlation and causation ids, extra fields", async () => {
        const stream = newStreamId();
        const metadata: EventMetadata = {
          principal: "owner:4b7f0c1e",
          timestamp: "2026-11-24T10:11:12.345Z",
          correlationId: randomUUID(),
          causationId: randomUUID(),
          tenant: "acme",
          trace: { hops: [1, 2, 3], sampled: true },
        };
        const before = await store.headPosition();
        await store.append(stream, [newEvent("MetadataTested", { ok: true }, metadata)], "no_stream");

        const [read] = await collect(store.readStream(stream));
        assert.deepEqual(read?.metadata, metadata);
        const [delivered] = await listen(store, before, [stream]).waitFor(1, DELIVERY_TIMEOUT_MS);
        assert.deepEqual(delivered?.metadata, metadata);
      });

      it("round-trips a ~1 MB payload of Cyrillic text and emoji exactly, data and metadata", async () => {
        const stream = newStreamId();
        const data = {
          title: "Клон Алисы 🤖",
          body: multilingualText(LARGE_DATA_BYTES),
          tags: ["привет", "👨‍👩‍👧‍👦", "🇺🇦", "e\u0301", "日本語"],
        };
        const metadata: EventMetadata = {
          principal: "owner:Алиса 👩‍💻",
          timestamp: new Date().toISOString(),
          correlationId: randomUUID(),
          note: multilingualText(LARGE_METADATA_BYTES),
        };
        const size = utf8Bytes(JSON.stringify(data)) + utf8Bytes(JSON.stringify(metadata));
        assert.ok(size > 950_000 && size < 1_048_576, `payload is ${size} bytes`);
        const before = await store.headPosition();
        await store.append(stream, [newEvent("LargePayloadTested", data, metadata)], "no_stream");

        const [read] = await collect(store.readStream(stream));
        assert.deepEqual(read?.data, data);
        assert.deepEqual(read?.metadata, metadata);
        const [delivered] = await listen(store, before, [stream]).waitFor(1, DELIVERY_TIMEOUT_MS);
        assert.deepEqual(delivered?.data, data);
        assert.deepEqual(delivered?.metadata, metadata);
      });
    });

    describe("expected revision", () => {
      it('rejects "no_stream" for a stream that exists', async () => {
        const stream = newStreamId();
        await store.append(stream, newEvents(2), "no_stream");
        await expectConflict(store.append(stream, newEvents(1), "no_stream"), stream, "no_stream", 1);
      });

      it("rejects a revision that is not the stream's last, on existing and missing streams", async () => {
        const stream = newStreamId();
        await store.append(stream, newEvents(2), "no_stream");
        await expectConflict(store.append(stream, newEvents(1), 0), stream, 0, 1);
        await expectConflict(store.append(stream, newEvents(1), 5), stream, 5, 1);
        const missing = newStreamId();
        await expectConflict(store.append(missing, newEvents(1), 0), missing, 0, "no_stream");
      });

      it("writes nothing when the expectation fails", async () => {
        const stream = newStreamId();
        const stored = newEvents(2);
        await store.append(stream, stored, "no_stream");
        await assert.rejects(store.append(stream, newEvents(3), 0), WrongExpectedRevisionError);
        await assert.rejects(store.append(stream, newEvents(3), "no_stream"), WrongExpectedRevisionError);
        assert.deepEqual(
          (await collect(store.readStream(stream))).map((event) => event.id),
          stored.map((event) => event.id),
        );
        await assert.rejects(store.append(newStreamId(), newEvents(1), 3), WrongExpectedRevisionError);
      });

      it('accepts "any" on missing and existing streams', async () => {
        const stream = newStreamId();
        assert.equal((await store.append(stream, newEvents(2), "any")).nextRevision, 1);
        assert.equal((await store.append(stream, newEvents(1, 2), "any")).nextRevision, 2);
        assert.deepEqual(dataNumbers(await collect(store.readStream(stream))), [0, 1, 2]);
      });

      it("lets exactly one of several concurrent appends with the same expected revision win", async () => {
        const stream = newStreamId();
        await store.append(stream, newEvents(1), "no_stream");
        const writers = 8;
        const attempts = await Promise.allSettled(
          Array.from({ length: writers }, (_, writer) =>
            store.append(stream, [newEvent("Raced", { writer })], 0),
          ),
        );

        const winners = attempts.flatMap((attempt, writer) =>
          attempt.status === "fulfilled" ? [writer] : [],
        );
        assert.equal(winners.length, 1, `winners: ${winners.join(", ")}`);
        for (const attempt of attempts) {
          if (attempt.status === "fulfilled") assert.equal(attempt.value.nextRevision, 1);
          else assertConflict(attempt.reason, stream, 0, 1);
        }
        const read = await collect(store.readStream(stream));
        assert.equal(read.length, 2);
        assert.deepEqual(read[1]?.data, { writer: winners[0] });
      });

      it('lets exactly one of several concurrent "no_stream" appends create the stream', async () => {
        const stream = newStreamId();
        const attempts = await Promise.allSettled(
          Array.from({ length: 8 }, (_, writer) =>
            store.append(stream, [newEvent("Raced", { writer })], "no_stream"),
          ),
        );
        assert.equal(attempts.filter((attempt) => attempt.status === "fulfilled").length, 1);
        for (const attempt of attempts) {
          if (attempt.status === "rejected") assertConflict(attempt.reason, stream, "no_stream", 0);
        }
        assert.equal((await collect(store.readStream(stream))).length, 1);
      });

      it("answers an empty append with where the stream stands, still checking the expectation", async () => {
        const stream = newStreamId();
        assert.equal((await store.append(stream, [], "no_stream")).nextRevision, -1);
        assert.deepEqual(await collect(store.readStream(stream)), []);
        const written = await store.append(stream, newEvents(3), "no_stream");
        const empty = await store.append(stream, [], 2);
        assert.deepEqual(empty, written);
        await expectConflict(store.append(stream, [], "no_stream"), stream, "no_stream", 2);
        assert.equal((await collect(store.readStream(stream))).length, 3);
      });

      it("never stores events twice when an append is retried with the same event ids", async () => {
        const stream = newStreamId();
        const events = newEvents(2);
        await store.append(stream, events, "no_stream");
        // A writer that lost the reply retries; adapters may refuse the retry or accept it idempotently, not duplicate.
        await Promise.allSettled([store.append(stream, events, "no_stream")]);
        assert.deepEqual(
          (await collect(store.readStream(stream))).map((event) => event.id),
          events.map((event) => event.id),
        );
      });
    });

    describe("subscribeToAll", () => {
      it("catches up from the start of the log", async () => {
        const [a, b] = [newStreamId(), newStreamId()];
        await store.append(a, newEvents(2, 0), "no_stream");
        await store.append(b, newEvents(2, 2), "no_stream");
        await store.append(a, newEvents(1, 4), 1);

        const seen = await listen(store, undefined, [a, b]).waitFor(5, DELIVERY_TIMEOUT_MS);
        assert.deepEqual(dataNumbers(seen), [0, 1, 2, 3, 4]);
      });

      it("resumes strictly after a checkpoint, then delivers live appends", async () => {
        const stream = newStreamId();
        await store.append(stream, newEvents(5), "no_stream");
        const checkpoint = (await collect(store.readStream(stream, { fromRevision: 1, maxCount: 1 })))[0]!
          .position;

        const probe = listen(store, checkpoint, [stream]);
        assert.deepEqual(
          (await probe.waitFor(3, DELIVERY_TIMEOUT_MS)).map((event) => event.revision),
          [2, 3, 4],
        );
        await store.append(stream, newEvents(2, 5), 4);
        await store.append(stream, newEvents(1, 7), 6);
        assert.deepEqual(dataNumbers(await probe.waitFor(6, DELIVERY_TIMEOUT_MS)), [2, 3, 4, 5, 6, 7]);
      });

      it("starting from headPosition delivers only events appended after it", async () => {
        const stream = newStreamId();
        await store.append(stream, newEvents(2), "no_stream");
        const head = await store.headPosition();
        assert.notEqual(head, undefined);

        const probe = listen(store, head, [stream]);
        await store.append(stream, newEvents(1, 2), 1);
        const [first] = await probe.waitFor(1, DELIVERY_TIMEOUT_MS);
        assert.equal(first?.revision, 2);
      });

      it("delivers live appends to several streams in append order", async () => {
        const [a, b] = [newStreamId(), newStreamId()];
        const probe = listen(store, await store.headPosition(), [a, b]);
        await store.append(a, newEvents(1, 0), "no_stream");
        assert.deepEqual(dataNumbers(await probe.waitFor(1, DELIVERY_TIMEOUT_MS)), [0]);
        await store.append(b, newEvents(2, 1), "no_stream");
        await store.append(a, newEvents(1, 3), 0);
        assert.deepEqual(dataNumbers(await probe.waitFor(4, DELIVERY_TIMEOUT_MS)), [0, 1, 2, 3]);
      });

      it("ends when its signal aborts, also while idle, and delivers nothing afterwards", async () => {
        const stream = newStreamId();
        const probe = listen(store, await store.headPosition(), [stream]);
        await store.append(stream, newEvents(1), "no_stream");
        await probe.waitFor(1, DELIVERY_TIMEOUT_MS);
        // Idle now: the abort has to end a pending wait for the next event, not just a loop between events.
        await withDeadline(
          probe.stop(),
          DELIVERY_TIMEOUT_MS,
          "subscription did not end after its signal aborted",
        );
        await store.append(stream, newEvents(1, 1), 0);
        await delay(200);
        assert.equal(probe.received.length, 1);
      });

      it("yields nothing when its signal is already aborted", async () => {
        await store.append(newStreamId(), newEvents(1), "no_stream");
        const controller = new AbortController();
        controller.abort();
        const seen = await withDeadline(
          collect(store.subscribeToAll({ signal: controller.signal })),
          DELIVERY_TIMEOUT_MS,
          "an aborted subscription did not end",
        );
        assert.deepEqual(seen, []);
      });

      it("ends when the consumer breaks out of its loop", async () => {
        const stream = newStreamId();
        const after = await store.headPosition();
        await store.append(stream, newEvents(2), "no_stream");
        const first = await withDeadline(
          (async () => {
            for await (const event of store.subscribeToAll({ after })) {
              if (event.streamId === stream) return event;
            }
            return undefined;
          })(),
          DELIVERY_TIMEOUT_MS,
          "breaking out of a subscription did not end it",
        );
        assert.equal(first?.revision, 0);
      });

      it("resumes from a checkpoint after the store is closed and reopened", async (t) => {
        if (!fixture.reopen) {
          t.skip("this adapter's fixture cannot reopen its storage");
          return;
        }
        const stream = newStreamId();
        const before = await store.headPosition();
        await store.append(stream, newEvents(3), "no_stream");
        const probe = listen(store, before, [stream]);
        const checkpoint = (await probe.waitFor(2, DELIVERY_TIMEOUT_MS))[1]!.position;
        await probe.stop();
        await store.close();

        const again = await fixture.reopen();
        reopened.push(again);
        await again.append(stream, newEvents(2, 3), 2);
        const resumed = await listen(again, checkpoint, [stream]).waitFor(3, DELIVERY_TIMEOUT_MS);
        assert.deepEqual(
          resumed.map((event) => event.revision),
          [2, 3, 4],
        );
        assert.deepEqual(dataNumbers(resumed), [2, 3, 4]);
      });
    });

    describe("volume", () => {
      it("reads back and catches up on a 10,000-event stream in order", {
        timeout: VOLUME_TIMEOUT_MS,
      }, async () => {
        const stream = newStreamId();
        const before = await store.headPosition();
        const batches = 100;
        const batchSize = 100;
        const ids: string[] = [];
        for (let batch = 0; batch < batches; batch++) {
          const events = newEvents(batchSize, batch * batchSize);
          const expected: ExpectedRevision = batch === 0 ? "no_stream" : batch * batchSize - 1;
          const result = await store.append(stream, events, expected);
          assert.equal(result.nextRevision, (batch + 1) * batchSize - 1);
          ids.push(...events.map((event) => event.id));
        }
        const total = batches * batchSize;

        let revision = 0;
        for await (const event of store.readStream(stream)) {
          assert.equal(event.revision, revision);
          assert.equal(event.id, ids[revision]);
          revision += 1;
        }
        assert.equal(revision, total);

        const caughtUp = await listen(store, before, [stream]).waitFor(total, VOLUME_TIMEOUT_MS / 2);
        for (const [index, event] of caughtUp.entries()) {
          if (event.revision !== index || event.id !== ids[index]) {
            assert.fail(
              `catch-up event ${index} is revision ${event.revision} (${event.id}), expected ${ids[index]}`,
            );
          }
        }
      });
    });
  });
}

function newStreamId(): string {
  return `test-${randomUUID()}`;
}

function newEvent(type: string, data: unknown, metadata?: EventMetadata): NewEvent {
  return {
    id: randomUUID(),
    type,
    data,
    metadata: metadata ?? { principal: "test:contract", timestamp: new Date().toISOString() },
  };
}

/** `count` events whose data is `{ n }` counting up from `first`, so order can be checked by value. */
function newEvents(count: number, first = 0): NewEvent[] {
  return Array.from({ length: count }, (_, index) => newEvent("ContractTested", { n: first + index }));
}

function dataNumbers(events: RecordedEvent[]): number[] {
  return events.map((event) => (event.data as { n: number }).n);
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function expectConflict(
  attempt: Promise<unknown>,
  streamId: string,
  expected: ExpectedRevision,
  actual: number | "no_stream",
): Promise<void> {
  await assert.rejects(attempt, (error: unknown) => {
    assertConflict(error, streamId, expected, actual);
    return true;
  });
}

function assertConflict(
  error: unknown,
  streamId: string,
  expected: ExpectedRevision,
  actual: number | "no_stream",
): void {
  assert.ok(
    error instanceof WrongExpectedRevisionError,
    `expected WrongExpectedRevisionError, got ${String(error)}`,
  );
  assert.deepEqual(
    { streamId: error.streamId, expected: error.expected, actual: error.actual },
    { streamId, expected, actual },
  );
}

/** Text of about `bytes` UTF-8 bytes mixing Cyrillic (2 bytes), emoji incl. ZWJ sequences and flags, and escapes. */
function multilingualText(bytes: number): string {
  const unit =
    'Съешь же ещё этих мягких французских булок, да выпей чаю. ЁёЪъ 🙂🚀👨‍👩‍👧‍👦🇺🇦🏳️‍🌈 "кавычки" \\ tab\t line\n';
  return unit.repeat(Math.ceil(bytes / utf8Bytes(JSON.stringify(unit))));
}

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
