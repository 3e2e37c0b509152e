import type { EventMetadata, RecordedEvent } from "./eventStore.js";

/** The `events` table; AUTOINCREMENT so a position is never reused, even after the newest rows are gone. */
export const CREATE_EVENTS_TABLE = `
  CREATE TABLE IF NOT EXISTS events (
    position  INTEGER PRIMARY KEY AUTOINCREMENT,
    id        TEXT    NOT NULL UNIQUE,
    stream_id TEXT    NOT NULL,
    revision  INTEGER NOT NULL,
    type      TEXT    NOT NULL,
    data      TEXT    NOT NULL,
    metadata  TEXT    NOT NULL,
    UNIQUE (stream_id, revision)
  )`;

export interface EventRow {
  position: number;
  id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
}

export const EVENT_COLUMNS = "position, id, stream_id, revision, type, data, metadata";

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    streamId: row.stream_id,
    revision: row.revision,
    position: String(row.position),
    type: row.type,
    data: JSON.parse(row.data) as unknown,
    metadata: JSON.parse(row.metadata) as EventMetadata,
  };
}

/** A position is the row's integer key as a decimal string; anything else is a checkpoint from another adapter. */
export function parseSqlitePosition(position: string): number {
  const value = /^\d+$/.test(position) ? Number(position) : Number.NaN;
  if (!Number.isSafeInteger(value)) {
    throw new TypeError(`not a SQLite event store position: ${JSON.stringify(position)}`);
  }
  return value;
}
