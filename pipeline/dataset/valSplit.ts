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

/**
 * Splits one sample (a JSONL line) for a dataset with too few sessions to hold whole ones out: the sample
 * keeps its turns up to the reply before the last ⌈fraction·n⌉ of its n replies (at least one), and each
 * of those last replies becomes a validation sample of the conversation up to it. So no held-out reply is
 * ever a training target; only a sample's last reply is judged. A sample with fewer than two replies stays.
 */
export function holdOutLastReplies(line: string, fraction: number): { keep: string | null; move: string[] } {
  const record = JSON.parse(line) as { messages: { role: string; content: string }[] };
  const replies = record.messages.flatMap((m, i) => (m.role === "assistant" ? [i] : []));
  const n = replies.length;
  if (n < 2) return { keep: line, move: [] };
  const held = Math.min(n - 1, Math.max(1, Math.ceil(fraction * n)));
  const upTo = (replyIndex: number) =>
    JSON.stringify({ ...record, messages: record.messages.slice(0, (replies[replyIndex] as number) + 1) });
  const move: string[] = [];
  for (let j = n - held; j < n; j++) move.push(upTo(j));
  return { keep: upTo(n - held - 1), move };
}
