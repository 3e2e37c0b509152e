import iconv from "iconv-lite";

/**
 * Writes a conversation the way VK's personal data archive does (`messages/<peer>/messages0.html`,
 * `messages50.html`, …; 50 messages a page; `div.item > div.message[data-id]` with `message__header` and
 * `kludges/attachment`), in windows-1251 (older archives: `http-equiv` content type, characters outside the
 * code page as numeric references) or UTF-8 (newer ones).
 */
export interface VkWrittenMessage {
  id: number;
  /** Null: the archive's owner ("Вы"). */
  author: { id: number; name: string } | null;
  /** `[year, month (1-12), day, hour, minute, second]` as the account showed it. */
  date: [number, number, number, number, number, number];
  text: string;
  attachments?: { description: string; link?: string }[];
  edited?: boolean;
}

export interface VkArchiveOptions {
  peerId: number | string;
  name: string;
  charset: "windows-1251" | "utf-8";
  language?: "ru" | "en";
  /** VK lists a conversation newest first; false writes it oldest first. */
  newestFirst?: boolean;
  /** UTF-8 with a byte-order mark and no meta charset. */
  bom?: boolean;
}

const RU = ["янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"];
const EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function htmlEscape(text: string, charset: VkArchiveOptions["charset"]): string {
  let out = "";
  for (const ch of text) {
    if (ch === "&") out += "&amp;";
    else if (ch === "<") out += "&lt;";
    else if (ch === ">") out += "&gt;";
    else if (ch === '"') out += "&quot;";
    else if (ch === "\n") out += "<br>";
    else if (
      charset === "windows-1251" &&
      iconv.decode(iconv.encode(ch, "windows-1251"), "windows-1251") !== ch
    )
      out += `&#${ch.codePointAt(0)};`;
    else out += ch;
  }
  return out;
}

function dateText(date: VkWrittenMessage["date"], language: "ru" | "en"): string {
  const [y, m, d, h, mi, s] = date;
  const two = (n: number) => String(n).padStart(2, "0");
  const month = (language === "ru" ? RU : EN)[m - 1];
  return `${d} ${month} ${y} ${language === "ru" ? "в" : "at"} ${h}:${two(mi)}:${two(s)}`;
}

function messageHtml(m: VkWrittenMessage, o: VkArchiveOptions): string {
  const language = o.language ?? "ru";
  const author = m.author
    ? `<a href="https://vk.com/id${m.author.id}">${htmlEscape(m.author.name, o.charset)}</a>`
    : language === "ru"
      ? "Вы"
      : "You";
  const edited = m.edited ? (language === "ru" ? " (ред.)" : " (edited)") : "";
  const attachments = (m.attachments ?? [])
    .map(
      (a) => `<div class="attachment">
  <div class="attachment__description">${htmlEscape(a.description, o.charset)}</div>
  ${a.link ? `<a class="attachment__link" href="${a.link}">${a.link}</a>` : ""}
</div>`,
    )
    .join("");
  return `<div class="item">
  <div class="item__main"><div class="message" data-id="${m.id}">
  <div class="message__header">${author}, ${dateText(m.date, language)}${edited}</div>
  <div>${htmlEscape(m.text, o.charset)}${attachments ? `<div class="kludges">${attachments}</div>` : ""}</div>
</div></div>
</div>`;
}

function page(messages: readonly VkWrittenMessage[], o: VkArchiveOptions): string {
  const meta =
    o.charset === "windows-1251"
      ? '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
      : o.bom
        ? ""
        : '<meta charset="utf-8">';
  const ru = (o.language ?? "ru") === "ru";
  return `<!DOCTYPE html>
<html>
<head>
${meta}
<title>VK</title>
<link rel="stylesheet" href="../../style.css">
</head>
<body>
<div class="wrap">
<div class="header"><div class="header__inner"><a class="header__link" href="../../index.html">VK</a></div></div>
<div class="page_content page_block">
<div class="page_block_header clear_fix"><div class="page_block_header_inner _header_inner"><a class="ui_crumb" href="../../index.html">${ru ? "Профиль" : "Profile"}</a><div class="ui_crumb_sep"></div><a class="ui_crumb" href="../index-messages.html">${ru ? "Сообщения" : "Messages"}</a><div class="ui_crumb_sep"></div><div class="ui_crumb" >${htmlEscape(o.name, o.charset)}</div></div></div>
<div class="wrap_page_content">
${messages.map((m) => messageHtml(m, o)).join("\n")}
</div>
</div>
</div>
</body>
</html>
`;
}

/** The pages, as [path inside the archive, bytes]; `messages` are given oldest first. */
export function vkConversationPages(
  messages: readonly VkWrittenMessage[],
  o: VkArchiveOptions,
): [string, Buffer][] {
  const ordered = o.newestFirst === false ? [...messages] : [...messages].reverse();
  const pages: [string, Buffer][] = [];
  for (let offset = 0; offset < ordered.length || offset === 0; offset += 50) {
    const html = page(ordered.slice(offset, offset + 50), o);
    const bytes =
      o.charset === "windows-1251"
        ? iconv.encode(html, "windows-1251")
        : Buffer.concat([
            o.bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0),
            Buffer.from(html, "utf8"),
          ]);
    pages.push([`messages/${o.peerId}/messages${offset}.html`, bytes]);
  }
  return pages;
}
