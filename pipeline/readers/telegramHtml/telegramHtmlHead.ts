import { posix } from "node:path";
import { ACCOUNT_PAGE } from "./accountPage.js";
import { pageNumberOf } from "./chatPages.js";

/** tdesktop's own stylesheet and script, copied into every HTML export. */
const SUPPORT_FILE = /(^|\/)(css\/style\.css|js\/script\.js)$/;

function isTdesktopPage(head: Buffer): boolean {
  const text = head.toString("utf8");
  return (
    /<title>\s*Exported Data\s*<\/title>/.test(text) ||
    (/class="page_wrap"/.test(text) && /class="(history|message default|message service)/.test(text))
  );
}

/**
 * A tdesktop HTML chat page (`messages.html` / `messagesN.html`) or a full export's front page
 * (`export_results.html`, which names the account), whose first bytes are tdesktop's
 * page (`<title>Exported Data</title>` or its `page_wrap` / `history` blocks).
 */
export function looksLikeTelegramHtml(path: string, head: Buffer): boolean {
  if (pageNumberOf(path) === null && posix.basename(path) !== ACCOUNT_PAGE) return false;
  return isTdesktopPage(head);
}

/**
 * The rest of a tdesktop HTML export, taken so that it is not reported as an unknown file and read as
 * nothing: its lists (`lists/chats.html`, contacts, sessions, …; the chat list is read with the chats),
 * its stylesheet and script.
 */
export function isTdesktopCompanion(path: string, head: Buffer): boolean {
  if (SUPPORT_FILE.test(path)) return true;
  return path.toLowerCase().endsWith(".html") && !looksLikeTelegramHtml(path, head) && isTdesktopPage(head);
}
