import type { DatasetStats } from "../../pipeline/dataset/index.js";

const pct = (share: number) => `${(share * 100).toFixed(0)}%`;
const byCount = (counts: Record<string, number>) =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);

/** The table printed at the end of `dataset build`: what was read, kept, dropped and why. */
export function printDatasetSummary(stats: DatasetStats, outDir: string | null): void {
  const rows: [string, string][] = [
    ["owner", `${stats.owner.name} (${stats.owner.ids.join(", ")})`],
    ["messages read", String(stats.messagesRead)],
    ["owner's messages", String(stats.ownerMessages)],
    ["samples", `${stats.samples} (train ${stats.trainSamples}, val ${stats.valSamples})`],
  ];
  if (stats.openers.samples > 0)
    rows.push([
      "openers (owner starts)",
      `${stats.openers.samples} samples, ${stats.openers.messages} messages`,
    ]);
  for (const [reason, n] of byCount(stats.dropped)) rows.push([`dropped: ${reason}`, String(n)]);
  for (const [reason, n] of byCount(stats.droppedSamples))
    rows.push([`samples dropped: ${reason}`, String(n)]);
  for (const [kind, n] of byCount(stats.redacted as unknown as Record<string, number>))
    rows.push([`redacted: ${kind}`, String(n)]);
  if (stats.skippedInputs.total > 0)
    rows.push(["unreadable inputs skipped", String(stats.skippedInputs.total)]);
  const style = stats.styleProfile;
  rows.push(
    ["style: median length", style.medianLength === null ? "-" : `${style.medianLength} characters`],
    ["style: emoji", `${style.emojiPerMessage.toFixed(2)} per message, in ${pct(style.emojiMessageShare)}`],
    ["style: lowercase starts", pct(style.lowercaseStartShare)],
    ["style: bursts", pct(style.burstShare)],
  );
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
  if (outDir) console.log(`\nwrote ${outDir}/train.jsonl, val.jsonl and stats.json`);
}
