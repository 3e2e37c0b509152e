/**
 * Splits Markdown at its ATX headings (`#` … `######`) so each chunk can cite the nearest heading. Headings
 * inside fenced code blocks are code, not structure. The heading's own text stays in its section: it is often
 * the best search term the section has.
 */
import type { TextSection } from "./textChunker.js";

const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export function markdownSections(markdown: string): TextSection[] {
  const sections: TextSection[] = [];
  let locator: string | undefined;
  let lines: string[] = [];
  let fence: string | undefined;
  const flush = () => {
    const text = lines.join("\n");
    if (text.trim() !== "") sections.push(locator === undefined ? { text } : { text, locator });
    lines = [];
  };
  for (const line of markdown.replace(/\r\n?/g, "\n").split("\n")) {
    const fenceMatch = FENCE.exec(line);
    if (fenceMatch) {
      const marker = fenceMatch[1] as string;
      if (fence === undefined) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      lines.push(line);
      continue;
    }
    const heading = fence === undefined ? HEADING.exec(line) : null;
    if (heading && (heading[2] as string).trim() !== "") {
      flush();
      locator = (heading[2] as string).trim();
      lines.push(locator, "");
      continue;
    }
    lines.push(line);
  }
  flush();
  return sections;
}
