/** What `aiclone dataset build` adds to the plain build: OCR of images and transcription of voice notes. */
import { ocrForBuild } from "../../pipeline/ocr/ocrForBuild.js";
import {
  composeTransforms,
  type SpeechForBuild,
  speechForBuild,
} from "../../pipeline/speech/speechForBuild.js";

export interface BuildExtras {
  transform: SpeechForBuild["transform"] | undefined;
  /** Adds their counts to stats.json in `outDir` (null: a dry run), prints them and lets go of the models. */
  finish(outDir: string | null): Promise<void>;
}

export async function buildExtras(
  ownerIds: readonly string[],
  options: { ocr?: boolean; speechModel?: string },
  signal: AbortSignal,
): Promise<BuildExtras> {
  const ocr = options.ocr ? await ocrForBuild(ownerIds, signal) : null;
  const speech = options.speechModel
    ? await speechForBuild(ownerIds, { modelDir: options.speechModel }, signal)
    : null;
  return {
    transform: composeTransforms([ocr?.transform, speech?.transform]),
    async finish(outDir) {
      if (ocr && outDir) await ocr.recordIn(outDir);
      if (ocr) console.log(`ocr: ${JSON.stringify(ocr.counts)}`);
      if (speech && outDir) await speech.recordIn(outDir);
      if (speech) console.log(`voice notes: ${JSON.stringify(speech.counts)}`);
      await speech?.close();
    },
  };
}
