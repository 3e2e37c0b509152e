import { cloneLimits, emptySourceInspection, type SourceInspection } from "../../domain/index.js";
import type { SourceSummary } from "../dataset/index.js";

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/** The part of an export's summary the owner sees before building: biggest chats and most active people first. */
export function inspectionOf(summary: SourceSummary): SourceInspection {
  const account = summary.accountOwners[0];
  return {
    formats: [...summary.formats],
    messages: summary.messages,
    chats: [...summary.chats]
      .sort((a, b) => b.messages - a.messages)
      .slice(0, cloneLimits.inspectionListMax)
      .map((c) => ({ id: c.id, name: c.name, type: c.type, messages: c.messages })),
    participants: summary.participants
      .slice(0, cloneLimits.inspectionListMax)
      .map((p) => ({ id: p.id, name: p.name, messages: p.messages })),
    firstMessageAt: iso(summary.dateRange?.first),
    lastMessageAt: iso(summary.dateRange?.last),
    ownerCandidate: account ? { id: account.id, name: account.name } : null,
    skipped: summary.skippedInputs.total,
    skippedReasons: skippedReasonsOf(summary.skippedInputs),
  };
}

/** The skips by reason, most frequent first, each with up to three places from the summary's examples. */
function skippedReasonsOf(
  skipped: SourceSummary["skippedInputs"],
): NonNullable<SourceInspection["skippedReasons"]> {
  return Object.entries(skipped.byReason)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 50)
    .map(([reason, count]) => ({
      reason,
      count,
      where: skipped.examples
        .filter((e) => (e.code ?? e.reason) === reason)
        .slice(0, 3)
        .map((e) => e.where),
    }));
}

/** An export that could not be read at all still gets an inspection: the error is what the owner sees. */
export const unreadableInspection = (reason: string): SourceInspection => ({
  ...emptySourceInspection(),
  error: reason,
});
