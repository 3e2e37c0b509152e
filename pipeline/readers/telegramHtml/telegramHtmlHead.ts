import { posix } from "node:path";
import { ACCOUNT_PAGE } from "./accountPage.js";
import { pageNumberOf } from "./chatPages.js";

/**
 * A tdesktop HTML chat page (`messages.html` / `messagesN.html`) or a full export's front page
 * (`export_results.html`, which names the account), whose first bytes are tdesktop's
 * page (`<title>Exported Data</title>` or its `page_wrap` / `history` blocks).
 */
export function looksLikeTelegramHtml(path: string, head: Buffer): boolean {
  if (pageNumberOf(path) === null && posix.basename(path) !== ACCOUNT_PAGE) return false;
  const text = head.toString("utf8");
  return (
    /<title>\s*Exported Data\s*<\/title>/.test(text) ||
    (/class="page_wrap"/.test(text) && /class="(history|message default|message service)/.test(text))
  );
}
