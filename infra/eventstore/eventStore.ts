/** The event store port: append-only streams with optimistic concurrency and a global, ordered log. */

export interface EventMetadata {
  /** The acting principal, e.g. `owner:<id>` or `worker:pipeline`. */
  principal: string;
  /** ISO-8601 time the command was decided. */
  timestamp: string;
  correlationId?: string;
  causationId?: string;
  [key: string]: unknown;
}

export interface NewEvent {
  /** Globally unique event id (UUID); consumers dedupe on it. */
  id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
}

export interface RecordedEvent extends NewEvent {
  streamId: string;
  /** 0-based position of the event inside its stream. */
  revision: number;
  /** Opaque, adapter-specific checkpoint of the event in the global log; totally ordered per adapter. */
  position: string;
}

/** `no_stream`: the stream must not exist; `any`: no check; a number: the stream's last revision must be this. */
export type ExpectedRevision = "any" | "no_stream" | number;

export interface AppendResult {
  /** Revision of the last event written. */
  nextRevision: number;
  /** Global position of the last event written. */
  position: string;
}

export interface ReadStreamOptions {
  fromRevision?: number;
  maxCount?: number;
}

export interface SubscribeOptions {
  /** Deliver events strictly after this checkpoint; omitted: from the first event. */
  after?: string;
  signal?: AbortSignal;
}

export interface EventStore {
  append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /** Events of one stream in revision order; an unknown stream yields nothing. */
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /** Catch-up then live subscription to the global log (user streams only), in global order. Ends when the signal aborts. */
  subscribeToAll(options?: SubscribeOptions): AsyncIterable<RecordedEvent>;
  /** Position of the last event in the global log, or undefined when empty. */
  headPosition(): Promise<string | undefined>;
  close(): Promise<void>;
}

export class WrongExpectedRevisionError extends Error {
  override readonly name = "WrongExpectedRevisionError";
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | "no_stream",
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
  }
}
