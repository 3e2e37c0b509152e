import { appendFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DATASET_FILES } from "../../domain/artifacts/artifactKeys.js";
import { redactText } from "../privacy/redactText.js";

/**
 * The owner's corrections in a dataset (docs/corrections.md). A correction is the owner's own words: the
 * clone drafted a reply, the owner rewrote it. Each becomes a train sample (the build's system prompt, the
 * turns before the draft, then the owner's text as the assistant turn) marked `source: "correction"` with
 * its id and loss weight, and, when the owner changed the draft, a draft/edit pair in preferences.jsonl.
 * Corrections go to train.jsonl only: val.jsonl (and the blind test drawn from it) keeps the replies the
 * owner wrote in their own conversations. The format: domain/artifacts/datasetFormat.schema.json.
 */
export interface CorrectionForDataset {
  correctionId: string;
  /** The turns before the draft, oldest first. */
  context: { role: "user" | "assistant"; content: string }[];
  draft: string;
  ownerText: string;
}

export interface CorrectionOptions {
  /** The system prompt the build's samples start with (stats.json's systemPrompt); null: none. */
  systemPrompt: string | null;
  /** The loss weight of each correction sample (the trainer multiplies the sample's loss by it). */
  weight: number;
}

type Message = { role: "system" | "user" | "assistant"; content: string };
export interface CorrectionSample {
  messages: Message[];
  source: "correction";
  correctionId: string;
  weight: number;
}
export interface PreferencePair {
  messages: Message[];
  chosen: string;
  rejected: string;
  correctionId: string;
}

/** stats.json's `corrections`. */
export interface CorrectionsSummary {
  samples: number;
  weight: number;
  preferencePairs: number;
}

/** The same redaction of personal data (links, e-mails, phones, cards…) as the build's samples get. */
const redacted = (text: string) => redactText(text).text;

/** The samples and preference pairs of the corrections; a correction with no owner's text is skipped. */
export function correctionRecords(
  corrections: readonly CorrectionForDataset[],
  options: CorrectionOptions,
): { samples: CorrectionSample[]; pairs: PreferencePair[] } {
  const samples: CorrectionSample[] = [];
  const pairs: PreferencePair[] = [];
  for (const correction of corrections) {
    const ownerText = redacted(correction.ownerText.trim());
    if (!ownerText) continue;
    const prompt: Message[] = [
      ...(options.systemPrompt ? [{ role: "system" as const, content: options.systemPrompt }] : []),
      ...correction.context
        .filter((turn) => turn.content.trim())
        .map((turn) => ({ role: turn.role, content: redacted(turn.content) })),
    ];
    const { correctionId, weight } = { ...correction, ...options };
    samples.push({
      messages: [...prompt, { role: "assistant", content: ownerText }],
      source: "correction",
      correctionId,
      weight,
    });
    const draft = redacted(correction.draft.trim());
    // A pair needs a prompt that ends with the user's turn, and an edit that changed the draft.
    if (draft && draft !== ownerText && prompt.at(-1)?.role === "user")
      pairs.push({ messages: prompt, chosen: ownerText, rejected: draft, correctionId });
  }
  return { samples, pairs };
}

const jsonl = (records: readonly object[]) => records.map((r) => `${JSON.stringify(r)}\n`).join("");

/**
 * Adds the corrections to a built dataset folder: appended to train.jsonl, their pairs written to
 * preferences.jsonl, counted in stats.json (`corrections`, and in `samples`/`trainSamples`). With none,
 * the folder is left as it was.
 */
export async function addCorrections(
  dir: string,
  corrections: readonly CorrectionForDataset[],
  options: CorrectionOptions,
): Promise<CorrectionsSummary> {
  const { samples, pairs } = correctionRecords(corrections, options);
  const summary = { samples: samples.length, weight: options.weight, preferencePairs: pairs.length };
  if (samples.length === 0) return summary;
  await appendFile(join(dir, DATASET_FILES.train), jsonl(samples));
  if (pairs.length > 0) await writeFile(join(dir, DATASET_FILES.preferences), jsonl(pairs));
  const statsPath = join(dir, DATASET_FILES.stats);
  const stats = JSON.parse(await readFile(statsPath, "utf8"));
  stats.samples += samples.length;
  stats.trainSamples += samples.length;
  stats.corrections = summary;
  await writeFile(statsPath, JSON.stringify(stats, null, 2));
  return summary;
}
