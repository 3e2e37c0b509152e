import {
  type AppendExpectedRevision,
  BACKWARDS,
  type CurrentRevision as ClientCurrentRevision,
  type RecordedEvent as ClientRecordedEvent,
  END,
  EventStoreDBClient,
  type EventType,
  excludeSystemEvents,
  FORWARDS,
  type JSONType,
  jsonEvent,
  type Position,
  type ReadPosition,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from "@eventstore/db-client";
import { validateAppend } from "./appendValidation.js";
import { cancellableIterable } from "./cancellableIterable.js";
import {
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  WrongExpectedRevisionError,
} from "./eventStore.js";
import { decodeEventStoreDbPosition, encodeEventStoreDbPosition } from "./eventStoreDbPosition.js";
import { assertExpectedRevision, type CurrentRevision, NO_STREAM_REVISION } from "./expectedRevision.js";
import { validateReadStreamOptions } from "./readStreamValidation.js";

/** The `position` an empty append reports for a stream that does not exist: before every event. */
const START_POSITION = "0/0";

/**
 * The distributed event store over EventStoreDB / KurrentDB. Positions are `<commit>/<prepare>` of the $all log;
 * subscriptions see user events only (the server filters out `$`-typed system events and links).
 */
export class EventStoreDbEventStore implements EventStore {
  private constructor(private readonly client: EventStoreDBClient) {}

  /** `connectionString` e.g. `esdb://127.0.0.1:2113?tls=false`; the client connects lazily, on the first call. */
  static connect(connectionString: string): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString));
  }

  async append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    validateAppend(streamId, events, expected);
    // The server's reply to an empty append cannot tell "no stream" from revision 0, so read the tail instead.
    if (events.length === 0) return this.currentState(streamId, expected);
    let nextRevision: number;
    let position: Position | undefined;
    try {
      const result = await this.client.appendToStream(streamId, events.map(toEventData), {
        expectedRevision: toClientExpectedRevision(expected),
      });
      nextRevision = Number(result.nextExpectedRevision);
      position = result.position;
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new WrongExpectedRevisionError(streamId, expected, toCurrentRevision(error.actualVersion));
      }
      throw error;
    }
    // Older servers may omit the position from the append reply; the written event itself carries it.
    return {
      nextRevision,
      position: position
        ? encodeEventStoreDbPosition(position)
        : await this.positionOf(streamId, nextRevision),
    };
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const { fromRevision, maxCount } = validateReadStreamOptions(streamId, options);
    return this.readForwards(streamId, fromRevision, maxCount);
  }

  subscribeToAll(options: SubscribeOptions = {}): AsyncIterable<RecordedEvent> {
    // The server starts a subscription strictly after the given position, which is the port's `after`.
    const fromPosition: ReadPosition =
      options.after === undefined ? START : decodeEventStoreDbPosition(options.after);
    return cancellableIterable((signal) => this.follow(fromPosition, signal), options.signal);
  }

  async headPosition(): Promise<string | undefined> {
    // The log always ends in system records; the head that matters to subscribers is the last user event.
    const reader = this.client.readAll({ direction: BACKWARDS, fromPosition: END });
    try {
      for await (const resolved of reader) {
        const event = resolved.event;
        if (event && !event.type.startsWith("$")) return encodeEventStoreDbPosition(event.position);
      }
      return undefined;
    } finally {
      await reader.cancel();
    }
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  private async *readForwards(
    streamId: string,
    fromRevision: number,
    maxCount: number,
  ): AsyncGenerator<RecordedEvent, void, undefined> {
    if (maxCount === 0) return;
    // A gRPC stream with backpressure: a long stream is never held in memory at once.
    const reader = this.client.readStream(streamId, {
      direction: FORWARDS,
      fromRevision: BigInt(fromRevision),
      maxCount,
    });
    let finished = false;
    try {
      for await (const resolved of reader) {
        if (resolved.event) yield toRecordedEvent(resolved.event);
      }
      finished = true;
    } catch (error) {
      finished = true;
      if (error instanceof StreamNotFoundError) return;
      throw error;
    } finally {
      // A consumer that stops early only destroys the Node stream; the gRPC call must be cancelled separately.
      if (!finished) await reader.cancel();
    }
  }

  private async *follow(
    fromPosition: ReadPosition,
    signal: AbortSignal,
  ): AsyncGenerator<RecordedEvent, void, undefined> {
    if (signal.aborted) return;
    const subscription = this.client.subscribeToAll({ fromPosition, filter: excludeSystemEvents() });
    // Destroying the Node stream ends a pending read at once; the gRPC call is cancelled in `finally`.
    const stop = (): void => {
      subscription.destroy();
    };
    signal.addEventListener("abort", stop, { once: true });
    try {
      for await (const resolved of subscription) {
        if (resolved.event) yield toRecordedEvent(resolved.event);
      }
    } catch (error) {
      // Our own destroy surfaces as a premature-close error; anything else is a real failure.
      if (!signal.aborted) throw error;
    } finally {
      signal.removeEventListener("abort", stop);
      // Errors the cancelled call still emits after we stopped reading must not become unhandled 'error' events.
      subscription.on("error", ignoreLateError);
      await subscription.unsubscribe();
    }
  }

  /** Where the stream stands now; a snapshot read, which is all an append that writes nothing can promise. */
  private async currentState(streamId: string, expected: ExpectedRevision): Promise<AppendResult> {
    const last = await this.lastEvent(streamId);
    assertExpectedRevision(streamId, expected, last ? last.revision : "no_stream");
    return last
      ? { nextRevision: last.revision, position: last.position }
      : { nextRevision: NO_STREAM_REVISION, position: START_POSITION };
  }

  private async lastEvent(streamId: string): Promise<RecordedEvent | undefined> {
    const reader = this.client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
    try {
      for await (const resolved of reader) {
        if (resolved.event) return toRecordedEvent(resolved.event);
      }
      return undefined;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw error;
    }
  }

  private async positionOf(streamId: string, revision: number): Promise<string> {
    for await (const event of this.readForwards(streamId, revision, 1)) return event.position;
    throw new Error(`stream ${streamId}: revision ${revision} was just appended but cannot be read back`);
  }
}

function toEventData(event: NewEvent) {
  return jsonEvent({
    id: event.id,
    type: event.type,
    // The client types JSON data as object | array | string, but serializes any JSON value with JSON.stringify.
    data: event.data as JSONType,
    metadata: event.metadata,
  });
}

function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  return typeof expected === "number" ? BigInt(expected) : expected;
}

function toCurrentRevision(actual: ClientCurrentRevision): CurrentRevision {
  return actual === "no_stream" || actual < 0n ? "no_stream" : Number(actual);
}

function toRecordedEvent(event: ClientRecordedEvent<EventType>): RecordedEvent {
  if (!event.position) {
    throw new Error(
      `EventStoreDB returned event ${event.id} of ${event.streamId} without a log position (servers before 22.6 omit it)`,
    );
  }
  return {
    id: event.id,
    streamId: event.streamId,
    revision: Number(event.revision),
    position: encodeEventStoreDbPosition(event.position),
    type: event.type,
    data: event.data,
    metadata: toMetadata(event),
  };
}

/**
 * Events written through this adapter always carry our metadata; events other writers put on a shared server may
 * not, and one such event must not halt every $all consumer, so missing fields are filled from what the server knows.
 */
function toMetadata(event: ClientRecordedEvent<EventType>): EventMetadata {
  const raw = event.metadata;
  const fields = isPlainObject(raw) ? raw : {};
  return {
    ...fields,
    principal: typeof fields.principal === "string" ? fields.principal : "unknown",
    timestamp: typeof fields.timestamp === "string" ? fields.timestamp : event.created.toISOString(),
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

function ignoreLateError(): void {}
