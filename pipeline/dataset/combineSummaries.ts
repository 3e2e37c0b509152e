import type { AccountOwner, ExportFormat } from "../model/conversation.js";
import { maxNamesPerAuthor } from "./inspect.js";
import { defaultMaxSkippedExamples } from "./skippedInputs.js";
import type { ParticipantSummary, SourceSummary } from "./sourceSummary.js";

const byActivity = (a: ParticipantSummary, b: ParticipantSummary) =>
  b.messages - a.messages || a.id.localeCompare(b.id);

/**
 * The summary `inspect()` gives for several exports read one after another, from the summaries of each
 * (inspected on their own, with the default options), so a build over uploads inspected before need not
 * read them again. Null when the parts cannot say it exactly (the caller then inspects the exports
 * together): a chat seen in two parts, or a message without a chat record (read together, it could
 * belong to a chat of an earlier export).
 */
export function combineSummaries(parts: readonly SourceSummary[]): SourceSummary | null {
  if (parts.length === 1) return parts[0]!;
  const chatKeys = new Set<string>();
  for (const part of parts)
    for (const chat of part.chats) {
      if (chat.source === null || chatKeys.has(chat.key)) return null;
      chatKeys.add(chat.key);
    }
  const participants = new Map<string, ParticipantSummary>();
  for (const part of parts)
    for (const p of part.participants) {
      const seen = participants.get(p.id);
      participants.set(
        p.id,
        seen
          ? {
              id: p.id,
              name: p.name ?? seen.name,
              // A part's names are the first ones it saw, so the first new ones are the joint read's.
              names: [...new Set([...seen.names, ...p.names])].slice(0, maxNamesPerAuthor),
              messages: seen.messages + p.messages,
              chats: seen.chats + p.chats,
              formats: [...new Set<ExportFormat>([...seen.formats, ...p.formats])].sort(),
            }
          : { ...p, names: [...p.names], formats: [...p.formats] },
      );
    }
  const accounts = new Map<string, AccountOwner>();
  for (const part of parts)
    for (const owner of part.accountOwners)
      if (!accounts.has(owner.id) || owner.name) accounts.set(owner.id, { ...owner });
  const byReason: Record<string, number> = {};
  for (const part of parts)
    for (const [reason, n] of Object.entries(part.skippedInputs.byReason))
      byReason[reason] = (byReason[reason] ?? 0) + n;
  const ranges = parts.flatMap((p) => (p.dateRange ? [p.dateRange] : []));
  return {
    formats: [...new Set(parts.flatMap((p) => p.formats))].sort(),
    records: parts.reduce((n, p) => n + p.records, 0),
    messages: parts.reduce((n, p) => n + p.messages, 0),
    chats: parts.flatMap((p) => p.chats),
    participants: [...participants.values()].sort(byActivity),
    dateRange:
      ranges.length === 0
        ? null
        : {
            first: Math.min(...ranges.map((r) => r.first)),
            last: Math.max(...ranges.map((r) => r.last)),
          },
    accountOwners: [...accounts.values()],
    skippedInputs: {
      total: parts.reduce((n, p) => n + p.skippedInputs.total, 0),
      byReason,
      examples: parts.flatMap((p) => p.skippedInputs.examples).slice(0, defaultMaxSkippedExamples),
    },
  };
}
