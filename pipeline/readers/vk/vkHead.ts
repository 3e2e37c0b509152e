const PAGE = /(?:^|\/)messages(\d+)\.html$/i;

/** The offset in a VK page name (`messages0.html` 0, `messages50.html` 50), or null. */
export function vkPageOffsetOf(path: string): number | null {
  const m = PAGE.exec(path);
  return m ? Number(m[1]) : null;
}

/**
 * A page of a VK personal data archive's messages: `messages<offset>.html` whose first bytes have VK's
 * message markup (`message__header`) or its page frame (`ui_crumb` … `wrap_page_content`). Class names are
 * ASCII, so the bytes are looked at as latin1 whatever the page's charset.
 */
export function looksLikeVkPage(path: string, head: Buffer): boolean {
  if (vkPageOffsetOf(path) === null) return false;
  return isVkArchiveHtml(head);
}

function isVkArchiveHtml(head: Buffer): boolean {
  const text = head.toString("latin1");
  return (
    /class="message__header"/.test(text) || (/class="ui_crumb"/.test(text) && /wrap_page_content/.test(text))
  );
}

/**
 * The archive's other pages (the list of conversations, profile, wall, likes, …): taken so that they are
 * not reported as unknown files, and read as nothing.
 */
export function isVkCompanion(path: string, head: Buffer): boolean {
  return path.toLowerCase().endsWith(".html") && vkPageOffsetOf(path) === null && isVkArchiveHtml(head);
}
