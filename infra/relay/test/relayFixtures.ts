import { randomUUID } from "node:crypto";
import type { NewEvent } from "../../eventstore/eventStore.js";
import type { RelayLogger } from "../eventRelay.js";

export const quietLogger: RelayLogger = { info() {}, error() {} };

/** `count` new events with Cyrillic payloads, tagged with `note` so a test can tell its batches apart. */
export const newEvents = (count: number, note: string): NewEvent[] =>
  Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    type: "CloneCreated",
    data: { note, i, text: "привет" },
    metadata: { principal: "system:test", timestamp: new Date().toISOString() },
  }));
