import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SqliteEventStore } from "../eventstore/sqliteEventStore.js";
import { CommandHandler, type StreamDecider } from "./commandHandler.js";
import { CommandSender, causeOf } from "./commandSender.js";

/** A refusal of the counter below, standing in for a domain's own error type. */
class Refused extends Error {
  constructor(readonly code: "GONE" | "BROKEN") {
    super(`refused: ${code}`);
  }
}

type Command = { stream: string; by: number };
type Event = { type: "Added"; data: { by: number } };
const counter: StreamDecider<Command, Event, number> = {
  initialState: 0,
  evolve: (total, event) => total + event.data.by,
  decide: (command) => {
    if (command.by === 0) return [];
    if (command.by < 0) throw new Refused(command.by === -1 ? "GONE" : "BROKEN");
    return [{ type: "Added", data: { by: command.by } }];
  },
};

async function read(store: SqliteEventStore, streamId: string) {
  const events = [];
  for await (const event of store.readStream(streamId)) events.push(event);
  return events;
}

describe("CommandSender", () => {
  let dir: string;
  let store: SqliteEventStore;
  let sender: CommandSender<Command, Event, number, Refused>;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "sender-"));
    store = await SqliteEventStore.open(join(dir, "events.db"));
    sender = new CommandSender({
      commands: new CommandHandler(store),
      decider: counter,
      parse: (type, data) => ({ type, data }) as Event,
      streamOf: (command) => command.stream,
      principal: "system:test",
      expected: (error): error is Refused => error instanceof Refused && error.code === "GONE",
    });
  });
  after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("records the command on its stream with the principal and the cause", async () => {
    const sent = await sender.send(
      { stream: "s-1", by: 2 },
      { causationId: "cause-1", correlationId: "corr-1" },
    );
    assert.equal(sent.recorded, true);
    const [event] = await read(store, "s-1");
    assert.equal(event?.type, "Added");
    assert.equal(event?.metadata.principal, "system:test");
    assert.equal(event?.metadata.causationId, "cause-1");
    assert.equal(event?.metadata.correlationId, "corr-1");
  });

  it("hands an expected refusal back as a typed value", async () => {
    const sent = await sender.send({ stream: "s-2", by: -1 }, { causationId: "cause-2" });
    assert.equal(sent.recorded, false);
    if (!sent.recorded) {
      assert.ok(sent.refusal instanceof Refused);
      assert.equal(sent.refusal.code, "GONE");
    }
    assert.deepEqual(await read(store, "s-2"), []);
  });

  it("throws any other error", async () => {
    await assert.rejects(sender.send({ stream: "s-3", by: -2 }, { causationId: "c" }), /refused: BROKEN/);
  });

  it("takes the cause of an event: its id and its correlation id", () => {
    assert.deepEqual(
      causeOf({ id: "e1", metadata: { principal: "p", timestamp: "t", correlationId: "c1" } }),
      {
        causationId: "e1",
        correlationId: "c1",
      },
    );
    assert.deepEqual(causeOf({ id: "e2", metadata: { principal: "p", timestamp: "t" } }), {
      causationId: "e2",
      correlationId: null,
    });
  });
});
