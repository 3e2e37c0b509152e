/**
 * Writes a small valid PDF by hand (no PDF library, nothing downloaded): one page per entry, each line a text
 * object in Helvetica. Cyrillic works through a ToUnicode map that gives the bytes 0xC0–0xFF the letters А–я
 * (and 0xA8/0xB8 Ё/ё), as Windows-1251 does, so text extraction reads back real Unicode.
 */

function encodeLine(line: string): string {
  let out = "";
  for (const char of line) {
    const code = char.codePointAt(0) as number;
    let byte: number;
    if (code >= 0x20 && code <= 0x7e) byte = code;
    else if (code >= 0x410 && code <= 0x44f) byte = 0xc0 + (code - 0x410);
    else if (code === 0x401) byte = 0xa8;
    else if (code === 0x451) byte = 0xb8;
    else throw new Error(`minimalPdf cannot encode ${JSON.stringify(char)}`);
    const c = String.fromCharCode(byte);
    out +=
      byte >= 0x80
        ? `\\${byte.toString(8).padStart(3, "0")}`
        : c === "(" || c === ")" || c === "\\"
          ? `\\${c}`
          : c;
  }
  return `(${out})`;
}

const TO_UNICODE = [
  "/CIDInit /ProcSet findresource begin",
  "12 dict begin",
  "begincmap",
  "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
  "/CMapName /Adobe-Identity-UCS def",
  "/CMapType 2 def",
  "1 begincodespacerange",
  "<00> <FF>",
  "endcodespacerange",
  "2 beginbfrange",
  "<20> <7E> <0020>",
  "<C0> <FF> <0410>",
  "endbfrange",
  "2 beginbfchar",
  "<A8> <0401>",
  "<B8> <0451>",
  "endbfchar",
  "endcmap",
  "CMapName currentdict /CMap defineresource pop",
  "end",
  "end",
].join("\n");

/** `pages[i]` is the lines of page i + 1. */
export function minimalPdf(pages: string[][]): Buffer {
  const objects: string[] = [];
  const pageCount = pages.length;
  // 1 catalog, 2 pages, 3 font, 4 ToUnicode, then for each page: its page object and its content stream.
  const pageIds = pages.map((_, i) => 5 + i * 2);
  objects[1] = "<< /Type /Catalog /Pages 2 0 R >>";
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(" ")}] /Count ${pageCount} >>`;
  objects[3] =
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /ToUnicode 4 0 R >>";
  objects[4] = `<< /Length ${TO_UNICODE.length} >>\nstream\n${TO_UNICODE}\nendstream`;
  pages.forEach((lines, i) => {
    const pageId = pageIds[i] as number;
    const content = [
      "BT",
      "/F1 12 Tf",
      "14 TL",
      "72 720 Td",
      ...lines.map((line) => `${encodeLine(line)} Tj T*`),
      "ET",
    ].join("\n");
    objects[pageId] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageId + 1} 0 R >>`;
    objects[pageId + 1] = `<< /Length ${content.length} >>\nstream\n${content}\nendstream`;
  });

  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = body.length;
    body += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = body.length;
  body += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) body += `${String(offsets[id]).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  // Everything above is ASCII, so string length = byte offset.
  return Buffer.from(body, "latin1");
}
