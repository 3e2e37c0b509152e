import { posix } from "node:path";

const PAGE = /^messages(\d*)\.html$/i;

/** The page number of a tdesktop chat page (`messages.html` is 1, `messages2.html` 2, …), or null. */
export function pageNumberOf(path: string): number | null {
  const m = PAGE.exec(posix.basename(path));
  if (!m) return null;
  const n = m[1] === "" ? 1 : Number(m[1]);
  return Number.isSafeInteger(n) && n >= 1 ? n : null;
}

/** The folder of a page inside the export: `chats/chat_001`, or "" for a single chat's export at the root. */
export function folderOf(path: string): string {
  const dir = posix.dirname(path);
  return dir === "." ? "" : dir;
}

/** The path of page `n` of the chat in `folder`. */
export function pagePath(folder: string, n: number): string {
  const name = n === 1 ? "messages.html" : `messages${n}.html`;
  return folder === "" ? name : `${folder}/${name}`;
}
