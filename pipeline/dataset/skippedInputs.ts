import { SkippedInput } from "../model/conversation.js";

export interface SkippedInputsSummary {
  total: number;
  /** By reason code (`archiveCompressionRatio`, `nestedArchive`, `lineTooLong`, …), else the reader's words. */
  byReason: Record<string, number>;
  /** The first few, with where they were, so the report can point at them. */
  examples: SkippedInput[];
}

/** One line for a person: `bomb.zip: chat.txt skipped: compression ratio 1,000:1 over the limit of 200:1`. */
export function skipMessage(skipped: SkippedInput): string {
  return `${skipped.where} skipped: ${skipped.reason}`;
}

/** How many skipped inputs a summary keeps as examples unless told otherwise. */
export const defaultMaxSkippedExamples = 20;

/** Tallies the readers' skip records in bounded memory. */
export class SkippedInputsTally {
  private readonly summary: SkippedInputsSummary = { total: 0, byReason: {}, examples: [] };

  constructor(private readonly maxExamples = defaultMaxSkippedExamples) {}

  add(skipped: SkippedInput): void {
    this.summary.total++;
    const key = skipped.code ?? skipped.reason;
    this.summary.byReason[key] = (this.summary.byReason[key] ?? 0) + 1;
    if (this.summary.examples.length < this.maxExamples) this.summary.examples.push({ ...skipped });
  }

  result(): SkippedInputsSummary {
    return {
      total: this.summary.total,
      byReason: { ...this.summary.byReason },
      examples: [...this.summary.examples],
    };
  }
}
