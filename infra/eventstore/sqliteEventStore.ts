import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { SqliteWriteQueue } from "../sqlite/writeQueue.js";
import { AppendNotifier } from "./appendNotifier.js";
import { validateAppend } from "./appendValidation.js";
import { cancellableIterable } from "./cancellableIterable.js";
import { DuplicateEventIdError } from "./duplicateEventIdError.js";
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
} from "./eventStore.js";
import { assertExpectedRevision, NO_STREAM_REVISION } from "./expectedRevision.js";
import { validateReadStreamOptions } from "./readStreamValidation.js";
import {
  CREATE_EVENTS_TABLE,
  EVENT_COLUMNS,
  type EventRow,
  parseSqlitePosition,
  toRecordedEvent,
} from "./sqliteEventRow.js";

export interface SqliteEventStoreOptions {
  /** How often an idle live subscription re-reads the table to notice appends made by other processes. */
  pollIntervalMs?: number;
  /** How long a writer waits for another process's write lock before failing with SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

/** Rows fetched per query, so catching up on (or reading) a long log never holds it in memory at once. */
const PAGE_SIZE = 500;
const DEFAULT_POLL_INTERVAL_MS = 50;
const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
/** The `position` an empty append reports for a stream that does not exist: before every event. */
const START_POSITION = "0";

interface SerializedEvent {
  id: string;
  type: string;
  data: string;
  metadata: string;
}

interface StreamTail {
  revision: number;
  position: number;
}

/**
 * The embedded event store: one SQLite file in WAL mode. Appends go through one write queue per store
 * (`SqliteWriteQueue`): the appends queued together (before the queue's microtask runs: concurrent writers woken by
 * the same commit) are committed in one `BEGIN IMMEDIATE` transaction (group commit, one WAL fsync for the group), each append in its own savepoint so a stale expected
 * revision or a duplicate id fails that append alone. Other processes on the same file are serialized by SQLite's
 * write lock, so positions become visible in commit order and a subscriber that reads "everything after my cursor"
 * can never skip a row that commits late - the property a sequence-based store would not give.
 */
export class SqliteEventStore implements EventStore {
  private readonly notifier = new AppendNotifier();
  private readonly writes: SqliteWriteQueue;
  private closed = false;
  private readonly selectStreamTail: Database.Statement<[string], StreamTail>;
  private readonly insertEvent: Database.Statement<[string, string, number, string, string, string]>;
  private readonly selectStreamPage: Database.Statement<[string, number, number], EventRow>;
  private readonly selectLogPage: Database.Statement<[number, number], EventRow>;
  private readonly selectHead: Database.Statement<[], { position: number | null }>;
  private readonly selectExistingId: Database.Statement<[string], { id: string }>;
  private readonly appendInTransaction: Database.Transaction<
    (streamId: string, events: SerializedEvent[], expected: ExpectedRevision) => AppendResult
  >;

  private constructor(
    private readonly db: Database.Database,
    private readonly pollIntervalMs: number,
  ) {
    this.selectStreamTail = db.prepare(
      "SELECT revision, position FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1",
    );
    this.insertEvent = db.prepare(
      "INSERT INTO events (id, stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)",
    );
    this.selectStreamPage = db.prepare(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`,
    );
    this.selectLogPage = db.prepare(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
    );
    this.selectHead = db.prepare("SELECT MAX(position) AS position FROM events");
    this.selectExistingId = db.prepare("SELECT id FROM events WHERE id = ?");
    // Inside the queue's transaction this runs as a savepoint: a failed append is undone before it is explained.
    this.appendInTransaction = db.transaction((streamId, events, expected) =>
      this.appendLocked(streamId, events, expected),
    );
    this.writes = new SqliteWriteQueue(db, { onCommit: () => this.notifier.notify() });
  }

  /** Opens (creating if needed) the store file and its parent directory. */
  static async open(filePath: string, options: SqliteEventStoreOptions = {}): Promise<SqliteEventStore> {
    await mkdir(dirname(filePath), { recursive: true });
    const db = new Database(filePath, { timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
    try {
      // WAL lets subscribers in other processes read while one process writes.
      const mode = db.pragma("journal_mode = WAL", { simple: true });
      if (mode !== "wal")
        throw new Error(`event store ${filePath}: could not enable WAL journal mode (got ${String(mode)})`);
      // FULL, not NORMAL: in WAL mode NORMAL skips the fsync at commit, so a power loss can drop appends that were
      // already acknowledged - and possibly relayed to consumers. An event log must not forget what it confirmed;
      // the price is one WAL fsync per append (see bench/eventStoreAppend.ts).
      db.pragma("synchronous = FULL");
      // Whatever is ever deleted or overwritten in the log's file is zeroed, not left in free pages.
      db.pragma("secure_delete = ON");
      db.exec(CREATE_EVENTS_TABLE);
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqliteEventStore(db, options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
  }

  async append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    validateAppend(streamId, events, expected);
    this.assertOpen();
    const serialized = events.map((event, index) => serialize(streamId, event, index));
    // The queue's transaction is IMMEDIATE: it takes the write lock before the revision check, so a writer in
    // another process cannot slip in between check and insert. The promise settles after the group's COMMIT.
    return this.writes.run(() => {
      try {
        return this.appendInTransaction(streamId, serialized, expected);
      } catch (error) {
        throw this.explainInsertError(streamId, serialized, error);
      }
    });
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const { fromRevision, maxCount } = validateReadStreamOptions(streamId, options);
    return this.readStreamPages(streamId, fromRevision, maxCount);
  }

  subscribeToAll(options: SubscribeOptions = {}): AsyncIterable<RecordedEvent> {
    const after = options.after === undefined ? 0 : parseSqlitePosition(options.after);
    return cancellableIterable((signal) => this.follow(after, signal), options.signal);
  }

  async headPosition(): Promise<string | undefined> {
    this.assertOpen();
    const { position } = this.selectHead.get() ?? { position: null };
    return position === null ? undefined : String(position);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Appends already accepted are committed before the connection goes.
    this.writes.close();
    // Wakes idle subscriptions so they see `closed` and end instead of querying a closed database.
    this.notifier.notify();
    this.db.close();
  }

  private appendLocked(
    streamId: string,
    events: SerializedEvent[],
    expected: ExpectedRevision,
  ): AppendResult {
    const tail = this.selectStreamTail.get(streamId);
    assertExpectedRevision(streamId, expected, tail ? tail.revision : "no_stream");
    let revision = tail ? tail.revision : NO_STREAM_REVISION;
    // An empty append writes nothing and reports where the stream stands.
    let position = tail ? String(tail.position) : START_POSITION;
    for (const event of events) {
      revision += 1;
      const info = this.insertEvent.run(event.id, streamId, revision, event.type, event.data, event.metadata);
      position = String(info.lastInsertRowid);
    }
    return { nextRevision: revision, position };
  }

  private async *readStreamPages(
    streamId: string,
    fromRevision: number,
    maxCount: number,
  ): AsyncGenerator<RecordedEvent, void, undefined> {
    let next = fromRevision;
    let remaining = maxCount;
    while (remaining > 0) {
      this.assertOpen();
      const limit = Math.min(PAGE_SIZE, remaining);
      const rows = this.selectStreamPage.all(streamId, next, limit);
      for (const row of rows) yield toRecordedEvent(row);
      if (rows.length < limit) return;
      remaining -= rows.length;
      next = rows[rows.length - 1]!.revision + 1;
    }
  }

  /** Catch-up in pages, then live: woken by this instance's appends at once, by other processes' on the next poll. */
  private async *follow(after: number, signal: AbortSignal): AsyncGenerator<RecordedEvent, void, undefined> {
    let cursor = after;
    while (!signal.aborted && !this.closed) {
      const seenVersion = this.notifier.version;
      const rows = this.selectLogPage.all(cursor, PAGE_SIZE);
      for (const row of rows) {
        if (signal.aborted || this.closed) return;
        yield toRecordedEvent(row);
        cursor = row.position;
      }
      if (rows.length < PAGE_SIZE) await this.notifier.wait(seenVersion, this.pollIntervalMs, signal);
    }
  }

  private explainInsertError(streamId: string, events: SerializedEvent[], error: unknown): unknown {
    const isIdConflict =
      error instanceof Database.SqliteError &&
      error.code === "SQLITE_CONSTRAINT_UNIQUE" &&
      error.message.includes("events.id");
    if (!isIdConflict) return error;
    const seen = new Set<string>();
    const duplicates = new Set<string>();
    for (const { id } of events) {
      if (seen.has(id) || this.selectExistingId.get(id)) duplicates.add(id);
      seen.add(id);
    }
    return new DuplicateEventIdError(streamId, [...duplicates]);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("event store is closed");
  }
}

function serialize(streamId: string, event: NewEvent, index: number): SerializedEvent {
  return {
    id: event.id,
    type: event.type,
    data: toJson(event.data, `append to ${streamId}: events[${index}].data`),
    metadata: toJson(event.metadata, `append to ${streamId}: events[${index}].metadata`),
  };
}

function toJson(value: unknown, where: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new TypeError(`${where} is not JSON-serializable: ${(error as Error).message}`);
  }
  if (json === undefined) throw new TypeError(`${where} is not JSON-serializable`);
  return json;
}
