import { validate as isUuid } from "uuid";
import type { ExpectedRevision, NewEvent } from "./eventStore.js";
import { isExpectedRevision } from "./expectedRevision.js";

/**
 * Rejects malformed appends before any adapter touches storage, with the same rules everywhere: code developed
 * against the embedded store must not start failing only once it meets EventStoreDB (which requires UUID ids).
 */
export function validateAppend(
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
): void {
  if (typeof streamId !== "string" || streamId.length === 0) {
    throw new TypeError(`append: streamId must be a non-empty string, got ${JSON.stringify(streamId)}`);
  }
  if (!isExpectedRevision(expected)) {
    throw new TypeError(
      `append to ${streamId}: expected revision must be "any", "no_stream" or a non-negative integer, got ${String(expected)}`,
    );
  }
  if (!Array.isArray(events)) throw new TypeError(`append to ${streamId}: events must be an array`);
  for (const [index, event] of events.entries()) validateEvent(streamId, event, index);
}

function validateEvent(streamId: string, event: NewEvent, index: number): void {
  const where = `append to ${streamId}: events[${index}]`;
  if (typeof event !== "object" || event === null) throw new TypeError(`${where} must be an object`);
  if (typeof event.id !== "string" || !isUuid(event.id)) {
    throw new TypeError(`${where}.id must be a UUID, got ${JSON.stringify(event.id)}`);
  }
  if (typeof event.type !== "string" || event.type.length === 0) {
    throw new TypeError(`${where}.type must be a non-empty string`);
  }
  if (event.type.startsWith("$")) {
    // EventStoreDB reserves `$` types for system events, which subscriptions filter out: such an event would vanish.
    throw new TypeError(
      `${where}.type must not start with "$" (reserved for system events), got ${event.type}`,
    );
  }
  if (event.data === undefined) throw new TypeError(`${where}.data must be JSON-serializable, got undefined`);
  const metadata: unknown = event.metadata;
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
    throw new TypeError(`${where}.metadata must be an object`);
  }
  if (typeof event.metadata.principal !== "string" || typeof event.metadata.timestamp !== "string") {
    throw new TypeError(`${where}.metadata must carry string principal and timestamp`);
  }
}
