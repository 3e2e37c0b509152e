import { SkippedInput } from "../model/conversation.js";

export interface SkippedInputsSummary {
  total: number;
  byReason: Record<string, number>;
  /** The first few, with where they were, so the report can point at them. */
  examples: SkippedInput[];
}

/** How many skipped inputs a summary keeps as examples unless told otherwise. */
export const defaultMaxSkippedExamples = 20;

/** Tallies the readers' skip records in bounded memory. */
export class SkippedInputsTally {
  private readonly summary: SkippedInputsSummary = { total: 0, byReason: {}, examples: [] };

  constructor(private readonly maxExamples = defaultMaxSkippedExamples) {}

  add(skipped: SkippedInput): void {
    this.summary.total++;
    this.summary.byReason[skipped.reason] = (this.summary.byReason[skipped.reason] ?? 0) + 1;
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
