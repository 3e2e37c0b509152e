import { jsonVerifier } from "stream-json/utils/verifier.js";
import type { ExportFile } from "../../model/exportSource.js";
import { type DecodeOptions, decodeExportText } from "./exportText.js";

type Verify = (chunk: string) => unknown;

/**
 * The tokenizer says what is wrong but not where. On that (rare) path the file is read again up to the
 * failing chunk through stream-json's verifier, which tracks lines; returns "line L column C" or null.
 * Columns count UTF-16 units of the filtered text, so they can differ slightly from an editor's.
 */
export async function locateSyntaxError(
  file: ExportFile,
  upToByte: number,
  options: DecodeOptions = {},
): Promise<string | null> {
  const verify = jsonVerifier() as unknown as Verify;
  const stream = await file.open();
  try {
    for await (const chunk of decodeExportText(stream, file.label, options)) {
      try {
        verify(chunk.text);
      } catch (error) {
        const { line, pos } = error as { line?: unknown; pos?: unknown };
        return typeof line === "number" && typeof pos === "number" ? `line ${line} column ${pos}` : null;
      }
      if (chunk.byteEnd >= upToByte) return null;
    }
    return null;
  } catch {
    // Reading again failed in another way; the caller still has the byte range.
    return null;
  } finally {
    stream.destroy();
  }
}
