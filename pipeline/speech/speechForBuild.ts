import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DATASET_FILES } from "../../domain/artifacts/artifactKeys.js";
import type { ExportRecord } from "../model/conversation.js";
import type { ExportSource } from "../model/exportSource.js";
import { emptySpeechCounts, type SpeechCounts, type SpeechRecognizer } from "./speechRecognizer.js";
import { withSpeech } from "./speechRecords.js";
import { WhisperRecognizer } from "./whisperRecognizer.js";

export interface SpeechForBuild {
  transform: (records: AsyncIterable<ExportRecord>, source: ExportSource) => AsyncIterable<ExportRecord>;
  counts: SpeechCounts;
  /** Adds the counts to the build's stats.json (`speech`), so the report explains the voice notes. */
  recordIn(outDir: string): Promise<void>;
  close(): Promise<void>;
}

/** Transcription for one dataset build, through `recognizer` (a stand-in in tests) or a Whisper model folder. */
export async function speechForBuild(
  ownerIds: readonly string[],
  from: { modelDir: string } | { recognizer: SpeechRecognizer },
  signal?: AbortSignal,
): Promise<SpeechForBuild> {
  const whisper = "modelDir" in from ? await WhisperRecognizer.open(from.modelDir) : null;
  const recognizer = whisper ?? (from as { recognizer: SpeechRecognizer }).recognizer;
  const counts = emptySpeechCounts();
  const owners = new Set(ownerIds);
  return {
    counts,
    transform: (records, source) => withSpeech(records, source, recognizer, owners, counts, signal),
    async recordIn(outDir) {
      const path = join(outDir, DATASET_FILES.stats);
      const stats = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
      await writeFile(path, `${JSON.stringify({ ...stats, speech: counts }, null, 2)}\n`);
    },
    close: async () => whisper?.close(),
  };
}

type RecordTransform = SpeechForBuild["transform"];

/** The transforms of a build (OCR, speech) applied one after the other; undefined when there are none. */
export function composeTransforms(transforms: (RecordTransform | undefined)[]): RecordTransform | undefined {
  const present = transforms.filter((t): t is RecordTransform => t !== undefined);
  if (present.length === 0) return undefined;
  return (records, source) => present.reduce((acc, transform) => transform(acc, source), records);
}
