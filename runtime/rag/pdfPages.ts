/** The text of each page of a PDF (pdf.js through unpdf), numbered from 1 for citations. */
import { extractText, getDocumentProxy } from "unpdf";
import type { TextSection } from "./textChunker.js";

export async function pdfSections(bytes: Uint8Array): Promise<TextSection[]> {
  // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  try {
    const { text } = await extractText(pdf, { mergePages: false });
    return text.map((pageText, i) => ({ text: pageText, locator: `page=${i + 1}` }));
  } finally {
    await pdf.destroy();
  }
}
