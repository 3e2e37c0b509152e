import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DATASET_FILES } from "../../domain/artifacts/artifactKeys.js";
import type { ExportRecord } from "../model/conversation.js";
import type { ExportSource } from "../model/exportSource.js";
import { emptyOcrCounts, type OcrCounts, withOcr } from "./ocrRecords.js";
import { TesseractOcr } from "./tesseractOcr.js";

export interface OcrForBuild {
  transform: (records: AsyncIterable<ExportRecord>, source: ExportSource) => AsyncIterable<ExportRecord>;
  counts: OcrCounts;
  /** Adds the counts to the build's stats.json, so the report explains the images too. */
  recordIn(outDir: string): Promise<void>;
}

/** OCR for one dataset build: fails early, naming what to install, when Tesseract is missing. */
export async function ocrForBuild(ownerIds: readonly string[], signal?: AbortSignal): Promise<OcrForBuild> {
  const engine = new TesseractOcr();
  const available = await engine.check();
  if (!available.ok) throw new Error(`OCR was asked for, but ${available.reason}`);
  const counts = emptyOcrCounts();
  const owners = new Set(ownerIds);
  return {
    counts,
    transform: (records, source) => withOcr(records, source, engine, owners, counts, signal),
    async recordIn(outDir) {
      const path = join(outDir, DATASET_FILES.stats);
      const stats = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
      await writeFile(path, `${JSON.stringify({ ...stats, ocr: counts }, null, 2)}\n`);
    },
  };
}
