import { pageNumberOf } from "./chatPages.js";

/**
 * A tdesktop HTML chat page: named `messages.html` / `messagesN.html`, and its first bytes are tdesktop's
 * page (`<title>Exported Data</title>` or its `page_wrap` / `history` blocks).
 */
export function looksLikeTelegramHtml(path: string, head: Buffer): boolean {
  if (pageNumberOf(path) === null) return false;
  const text = head.toString("utf8");
  return (
    /<title>\s*Exported Data\s*<\/title>/.test(text) ||
    (/class="page_wrap"/.test(text) && /class="(history|message default|message service)/.test(text))
  );
}
