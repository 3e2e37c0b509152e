import type { Position } from "@eventstore/db-client";

/** `<commit>/<prepare>`: both halves are needed to resume a subscription exactly where it stopped. */
export function encodeEventStoreDbPosition(position: Position): string {
  return `${position.commit}/${position.prepare}`;
}

export function decodeEventStoreDbPosition(position: string): Position {
  const match = /^(\d+)\/(\d+)$/.exec(position);
  if (!match)
    throw new TypeError(`not an EventStoreDB position (<commit>/<prepare>): ${JSON.stringify(position)}`);
  return { commit: BigInt(match[1]!), prepare: BigInt(match[2]!) };
}
