import { createHash } from "node:crypto";

/**
 * A session's place in [0, 1), from its chat id and start time only: the same session lands in the same
 * split on every build, and all windows of a session land together, so validation never sees a
 * conversation the model was trained on.
 */
export function sessionSplitPoint(chatId: string, sessionStart: number): number {
  const digest = createHash("sha256").update(`${chatId}\u0000${sessionStart}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

export function isValidationSession(chatId: string, sessionStart: number, fraction: number): boolean {
  return sessionSplitPoint(chatId, sessionStart) < fraction;
}
