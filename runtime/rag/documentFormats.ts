/** The file formats the reader indexes, by extension, and how each becomes citable text sections. */
import { extname } from "node:path";
import { markdownSections } from "./markdownSections.js";
import { pdfSections } from "./pdfPages.js";
import type { TextSection } from "./textChunker.js";

export type DocumentFormat = "markdown" | "text" | "pdf";

const EXTENSIONS: Record<string, DocumentFormat> = {
  ".md": "markdown",
  ".markdown": "markdown",
  ".txt": "text",
  ".pdf": "pdf",
};

export const SUPPORTED_EXTENSIONS = Object.keys(EXTENSIONS);

export function formatOf(path: string): DocumentFormat | undefined {
  return EXTENSIONS[extname(path).toLowerCase()];
}

/** UTF-8 with invalid bytes replaced (U+FFFD) rather than refused: a stray byte should not hide a file. */
function utf8(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: false, ignoreBOM: false }).decode(bytes);
}

export async function sectionsOf(format: DocumentFormat, bytes: Uint8Array): Promise<TextSection[]> {
  switch (format) {
    case "markdown":
      return markdownSections(utf8(bytes));
    case "text":
      return [{ text: utf8(bytes) }];
    case "pdf":
      return pdfSections(bytes);
  }
}
