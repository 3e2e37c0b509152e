import { dedupeKeysOf } from "../samples/sampleDeduper.js";
import { MESSAGE_FEATURES, writeMessageFeatures } from "../style/styleAccumulator.js";
import { sessionSplitPoint } from "./valSplit.js";

/**
 * The pure work a build does on each sample, batched so that it can run on another thread: the dedupe
 * keys, the session's split point and the style features of each of the owner's messages. What depends
 * on order (dedupe decisions, the split's fallback, the counts) stays with the build.
 */
export interface SampleChecksInput {
  /** Whether near-duplicate fingerprints are wanted. */
  near: boolean;
  /** Per sample: its reply text and its whole text, as dedupe normalises and hashes them. */
  assistantTexts: string[];
  sampleTexts: string[];
  /** Per sample: the session's chat id and start (the split point). */
  chatIds: string[];
  sessionStarts: number[];
  /** The owner's messages of every sample, in order (the samples' assistant turns' parts). */
  ownerMessages: string[];
}

/** Numbers per sample in `samples`: digest hi, digest lo, SimHash hi, SimHash lo, split point. */
export const SAMPLE_NUMBERS = 5;

export interface SampleChecksResult {
  samples: Float64Array;
  /** MESSAGE_FEATURES numbers per owner message, in the input's order. */
  messages: Int32Array;
}

export function runSampleChecks(input: SampleChecksInput): SampleChecksResult {
  const n = input.assistantTexts.length;
  const samples = new Float64Array(n * SAMPLE_NUMBERS);
  for (let i = 0; i < n; i++) {
    const keys = dedupeKeysOf(input.assistantTexts[i]!, input.sampleTexts[i]!, input.near);
    const at = i * SAMPLE_NUMBERS;
    samples[at] = keys.digestHi;
    samples[at + 1] = keys.digestLo;
    samples[at + 2] = keys.near?.hi ?? 0;
    samples[at + 3] = keys.near?.lo ?? 0;
    samples[at + 4] = sessionSplitPoint(input.chatIds[i]!, input.sessionStarts[i]!);
  }
  const messages = new Int32Array(input.ownerMessages.length * MESSAGE_FEATURES);
  for (let i = 0; i < input.ownerMessages.length; i++)
    writeMessageFeatures(input.ownerMessages[i]!, messages, i * MESSAGE_FEATURES);
  return { samples, messages };
}
