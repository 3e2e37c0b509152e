const PEER_ID = /^(user|channel|chat)-?\d+$/;

/**
 * `from_id` / `actor_id` → a stable author id. Exports since 2021-04 write `"user123"`, `"channel123"` or
 * `"chat123"`; older ones a bare number, which was a user id in practice, so it becomes `user<N>`. Returns
 * undefined for a value that is neither (the caller reports the message as corrupt).
 */
export function peerIdOf(value: unknown): string | null | undefined {
  if (value === undefined || value === null) return null;
  if (typeof value === "number") return Number.isInteger(value) ? `user${value}` : undefined;
  if (typeof value === "string") {
    if (PEER_ID.test(value)) return value;
    if (/^\d+$/.test(value)) return `user${value}`;
    // An id in a shape we do not know is still an id: keep it rather than lose the author.
    return value.length > 0 ? value : null;
  }
  return undefined;
}
