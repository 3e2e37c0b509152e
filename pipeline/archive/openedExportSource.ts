import type { SkippedInput } from "../model/conversation.js";
import type { ExportSource } from "../model/exportSource.js";

/**
 * An ExportSource plus the inputs it refused while opening (unsafe names, links, bombs), so the dataset
 * report can list them next to the messages the readers skipped.
 */
export interface OpenedExportSource extends ExportSource {
  readonly skipped: readonly SkippedInput[];
  readonly kind: "file" | "folder" | "zip";
}

export function hasSkippedInputs(source: ExportSource): source is OpenedExportSource {
  return Array.isArray((source as Partial<OpenedExportSource>).skipped);
}
